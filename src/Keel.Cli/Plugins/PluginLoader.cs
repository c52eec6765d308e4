using System.Reflection;
using System.Runtime.Loader;
using Keel.Composition;

namespace Keel.Cli.Plugins;

/// <summary>Loads <see cref="IKeelPlugin"/>s from assemblies (<c>--plugin &lt;path.dll&gt;</c>). Each assembly gets its own load
/// context that resolves the plugin's own dependencies from its <c>.deps.json</c> and folder, while everything <c>keel</c> itself
/// ships (Keel.Core, Microsoft.Extensions.*) comes from <c>keel</c>, so the plugin's types implement <c>keel</c>'s interfaces.</summary>
internal static class PluginLoader
{
    /// <summary>Loads the plugins of one assembly: every public, non-abstract type implementing <see cref="IKeelPlugin"/> with a
    /// public parameterless constructor, in name order.</summary>
    /// <param name="path">The assembly's path.</param>
    /// <returns>The plugins (at least one).</returns>
    /// <exception cref="PluginLoadException">The file is missing, is not a .NET assembly, a dependency cannot be loaded, it holds no
    /// plugin type, or a plugin's constructor threw; the message names the file and what to do.</exception>
    public static IReadOnlyList<IKeelPlugin> Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new PluginLoadException($"no plugin assembly at '{path}' (--plugin takes the path of a .dll built against Keel.Core)");
        }

        Type[] types;
        try
        {
            var assembly = new PluginLoadContext(full).LoadFromAssemblyPath(full);
            types = assembly.GetExportedTypes();
        }
        catch (BadImageFormatException)
        {
            throw new PluginLoadException($"'{path}' is not a .NET assembly");
        }
        catch (Exception ex) when (ex is FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            throw new PluginLoadException($"the plugin '{path}' could not be loaded: {ex.Message} (publish the plugin so its dependencies lie beside it)");
        }

        var plugins = new List<IKeelPlugin>();
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IKeelPlugin).IsAssignableFrom(t)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new PluginLoadException($"the plugin type '{type.FullName}' in '{path}' needs a public parameterless constructor");
            }

            try
            {
                plugins.Add((IKeelPlugin)Activator.CreateInstance(type)!);
            }
            catch (TargetInvocationException ex)
            {
                throw new PluginLoadException($"the plugin type '{type.FullName}' in '{path}' threw from its constructor: {ex.InnerException?.Message}");
            }
        }

        return plugins.Count > 0
            ? plugins
            : throw new PluginLoadException($"'{path}' holds no public type implementing Keel.Composition.IKeelPlugin" +
                (types.Any(t => t.GetInterfaces().Any(i => i.FullName == typeof(IKeelPlugin).FullName))
                    ? " from this keel's Keel.Core (the plugin carries another copy of Keel.Core: reference it without copying, or use the same version)"
                    : string.Empty));
    }

    private sealed class PluginLoadContext(string path) : AssemblyLoadContext($"keel-plugin:{Path.GetFileName(path)}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // What keel ships wins, so Keel.Core's interfaces are one type for keel and the plugin.
            try
            {
                return Default.LoadFromAssemblyName(assemblyName);
            }
            catch (FileNotFoundException)
            {
                return _resolver.ResolveAssemblyToPath(assemblyName) is { } own ? LoadFromAssemblyPath(own) : null;
            }
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } own ? LoadUnmanagedDllFromPath(own) : IntPtr.Zero;
    }
}

/// <summary>A plugin assembly could not be loaded; the message says which and why.</summary>
/// <param name="message">What went wrong, naming the file.</param>
internal sealed class PluginLoadException(string message) : Exception(message);
