using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Tools.Previews;

namespace Keel.TauTools.Tools;

/// <summary>
/// The tools of one tau-bench domain bound to one in-memory database: answers each call as tau-bench's reference
/// environment would, and applies its writes to that database.
/// </summary>
/// <remarks>
/// Calls run one at a time (a lock), so concurrent callers see the database after whole calls only; a preview runs under the
/// same lock, on a scratch copy of the database as whole calls left it. Tools are those of
/// the domain's <c>tools.json</c>; the server refuses to start when a declared tool has no implementation or the other
/// way round. Thread-safe.
/// </remarks>
public sealed class TauToolbox
{
    private readonly Lock _gate = new();
    private readonly ToolContext _context;
    private readonly Dictionary<string, (TauToolDefinition Definition, TauToolHandler Handler)> _tools;

    /// <summary>Binds the domain's tools to a database.</summary>
    /// <param name="database">The database the tools read and change; this toolbox becomes its only user.</param>
    /// <param name="clock">The clock for timestamps tools write; the default is <see cref="TauDomainClock.Default"/>.</param>
    /// <param name="previews">Whether to add a dry run <c>preview_&lt;tool&gt;</c> for every write tool (docs/tau-tools.md, "Previews"); the
    /// default is <see langword="false"/>: exactly tau-bench's tools.</param>
    /// <exception cref="InvalidOperationException">The embedded tool list and the implementations disagree (a build defect).</exception>
    public TauToolbox(TauDatabase database, TimeProvider? clock = null, bool previews = false)
    {
        ArgumentNullException.ThrowIfNull(database);
        Domain = database.Domain;
        _context = new ToolContext(database, clock ?? TauDomainClock.Default);
        Tools = TauToolCatalog.Load(Domain);
        var handlers = TauToolHandlers.For(Domain);
        var unimplemented = Tools.Select(t => t.Name).Where(name => !handlers.ContainsKey(name)).ToList();
        var undeclared = handlers.Keys.Where(name => Tools.All(t => t.Name != name)).ToList();
        if (unimplemented.Count > 0 || undeclared.Count > 0)
        {
            throw new InvalidOperationException(
                $"the {Domain.Name()} tools disagree with tools.json: without implementation [{string.Join(", ", unimplemented)}], not declared [{string.Join(", ", undeclared)}]");
        }

        _tools = Tools.ToDictionary(t => t.Name, t => (t, handlers[t.Name]), StringComparer.Ordinal);
        if (previews)
        {
            var writes = Tools.Where(t => t.Kind == ToolKind.Write).ToList();
            foreach (var write in writes)
            {
                var preview = TauPreviews.Define(write);
                _tools.Add(preview.Name, (preview, TauPreviews.Wrap(handlers[write.Name])));
            }

            Tools = [.. Tools, .. writes.Select(w => _tools[TauPreviews.Prefix + w.Name].Definition)];
        }
    }

    /// <summary>Gets the domain.</summary>
    public TauDomain Domain { get; }

    /// <summary>Gets the tools in <c>tools.json</c> order, then (with previews) the preview tools in the order of their writes.</summary>
    public IReadOnlyList<TauToolDefinition> Tools { get; }

    /// <summary>Runs one tool call.</summary>
    /// <param name="name">The tool name.</param>
    /// <param name="arguments">The arguments as a JSON object (numbers with their int/float kind, see <see cref="Json.PyJson"/>); null for none.</param>
    /// <returns>
    /// The reference environment's answer. An unknown tool answers <c>Unknown action &lt;name&gt;</c> (as the reference);
    /// arguments that do not fit the schema answer an <c>Error: </c> text (see <see cref="ArgumentBinder"/>).
    /// </returns>
    public ToolOutcome Invoke(string name, JsonObject? arguments)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_tools.TryGetValue(name, out var tool))
        {
            return new ToolOutcome($"Unknown action {name}", true);
        }

        arguments ??= new JsonObject();
        if (ArgumentBinder.Check(tool.Definition.Parameters, arguments) is { } invalid)
        {
            return ToolOutcome.Error(invalid);
        }

        lock (_gate)
        {
            try
            {
                return tool.Handler(_context, new ToolArguments(arguments));
            }
            catch (OverflowException)
            {
                return ToolOutcome.Error("a number is too large: amounts and counts must fit in 64 bits");
            }
        }
    }
}
