using System.Text;
using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;
using Keel.TauTools.Tools;
using Shouldly;

namespace Keel.TauTools.Tests;

/// <summary>Fresh toolboxes on the shipped databases (samples/tau-*/db), and call helpers.</summary>
internal static class Tau
{
    private static readonly Lazy<TauDatabaseSource> _airline = new(() => TauDatabaseSource.Load(TauDomain.Airline, RepoPaths.Database(TauDomain.Airline)));
    private static readonly Lazy<TauDatabaseSource> _retail = new(() => TauDatabaseSource.Load(TauDomain.Retail, RepoPaths.Database(TauDomain.Retail)));

    public static TauToolbox Airline() => new(_airline.Value.CreateCopy());

    public static TauToolbox Retail() => new(_retail.Value.CreateCopy());

    /// <summary>A fresh database of a domain, for tests that look at it directly.</summary>
    public static TauDatabase Database(TauDomain domain) => (domain == TauDomain.Airline ? _airline : _retail).Value.CreateCopy();

    /// <summary>Calls a tool with arguments given as JSON text (numbers keep their int/float kind, as in a recorded call).</summary>
    public static ToolOutcome Call(this TauToolbox toolbox, string tool, string argumentsJson) =>
        toolbox.Invoke(tool, (JsonObject?)PyJson.Parse(Encoding.UTF8.GetBytes(argumentsJson)));

    /// <summary>The successful outcome's JSON object.</summary>
    public static JsonObject Object(this ToolOutcome outcome)
    {
        outcome.IsError.ShouldBeFalse(outcome.Text);
        return JsonNode.Parse(outcome.Text)!.AsObject();
    }

    /// <summary>The successful outcome's JSON array.</summary>
    public static JsonArray Array(this ToolOutcome outcome)
    {
        outcome.IsError.ShouldBeFalse(outcome.Text);
        return JsonNode.Parse(outcome.Text)!.AsArray();
    }

    /// <summary>Asserts a failed call with exactly this text.</summary>
    public static void ShouldFailWith(this ToolOutcome outcome, string text)
    {
        outcome.Text.ShouldBe(text);
        outcome.IsError.ShouldBeTrue();
    }
}
