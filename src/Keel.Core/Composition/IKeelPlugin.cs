namespace Keel.Composition;

/// <summary>An extension that adds to a Keel composition: run importers, monitors, C# policies, pipeline stages
/// (<see cref="KeelBuilder.AddImporter{TImporter}()"/>, <see cref="KeelBuilder.AddMonitor{TMonitor}()"/>,
/// <see cref="KeelBuilder.AddPolicy{TPolicy}()"/>, <see cref="KeelBuilder.AddStage{TStage}()"/>). A host that composes Keel
/// itself calls <see cref="Configure"/> on <c>services.AddKeel()</c>; the <c>keel</c> command loads plugins from assemblies named by
/// <c>--plugin &lt;path.dll&gt;</c> (each public, non-abstract type implementing this interface with a public parameterless
/// constructor), so the same extension reaches <c>keel serve</c>, <c>keel replay</c> and the other commands (docs/extending.md).</summary>
/// <remarks>A plugin runs once per composition (the command's and, for <c>keel serve</c>, the server's); it should only register
/// services.</remarks>
public interface IKeelPlugin
{
    /// <summary>Adds the plugin's services.</summary>
    /// <param name="keel">The composition being built.</param>
    void Configure(KeelBuilder keel);
}
