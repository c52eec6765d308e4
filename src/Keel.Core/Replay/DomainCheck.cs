using System.Globalization;
using Keel.Model;

namespace Keel.Replay;

/// <summary>Checks, while runs are replayed, that each agent bundle governs runs of its own domain, so that a wrong bundle does not
/// quietly govern a whole replay. Two rules, over the runs of one recorded domain governed by one agent version:
/// <list type="number">
/// <item>the bundle declares a <c>domain</c> (<c>agent.yaml</c>) and the runs' domain, which the importer knows (tau-bench
/// airline/retail, the tau2 domain name, the AgentDojo suite, the BFCL category), is another one;</item>
/// <item>more than <see cref="UnknownToolShare"/> of the distinct tool names the runs' agent calls are not in the bundle's <c>tools.json</c>
/// (calls the simulated user makes, e.g. on its phone in tau2 telecom, are not governed and not counted; nor are runs that bring their own
/// tools, such as BFCL items: they are governed with those).</item>
/// </list>
/// Thread-safe: workers add runs at once.</summary>
public sealed class DomainCheck
{
    /// <summary>Share of the distinct tool names called by a domain's runs that may be unknown to the bundle before a warning. Value: 0.5.</summary>
    public const double UnknownToolShare = 0.5;

    private readonly Dictionary<AgentVersion, Dictionary<string, Group>> _groups = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();

    /// <summary>Counts a run governed by <paramref name="agent"/>.</summary>
    /// <param name="agent">The agent version whose bundle governs the run.</param>
    /// <param name="run">The recorded run.</param>
    public void Add(AgentVersion agent, RecordedRun run)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(run);
        var tools = run.Tools is null ? run.Steps.OfType<RecordedToolCall>().Where(c => c.Requestor == "assistant").Select(c => c.Call.ToolName).ToList() : [];
        lock (_lock)
        {
            if (!_groups.TryGetValue(agent, out var byDomain))
            {
                _groups[agent] = byDomain = new(StringComparer.Ordinal);
            }

            var domain = run.Domain ?? string.Empty;
            if (!byDomain.TryGetValue(domain, out var group))
            {
                byDomain[domain] = group = new Group();
            }

            group.Runs++;
            group.Tools.UnionWith(tools);
        }
    }

    /// <summary>The warnings, one per rule broken per group of runs, in a stable order. Each names the runs' domain and the bundle.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        lock (_lock)
        {
            var groups = _groups.SelectMany(a => a.Value.Select(d => (Agent: a.Key, Domain: d.Key, Group: d.Value)));
            foreach (var (agent, domain, group) in groups.OrderBy(g => g.Agent.AgentName, StringComparer.Ordinal).ThenBy(g => g.Domain, StringComparer.Ordinal))
            {
                var runs = string.Create(CultureInfo.InvariantCulture, $"{group.Runs} {(group.Runs == 1 ? "run" : "runs")}") + (domain.Length > 0 ? $" of domain '{domain}'" : " of no known domain");
                var bundle = $"agent bundle '{agent.AgentName}' {agent.Version}";
                if (agent.Domain is { } declared && domain.Length > 0 && !string.Equals(declared, domain, StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add($"{runs} were replayed with {bundle}, which declares domain '{declared}': its policies were written for other runs; give the bundle of domain '{domain}'.");
                }

                var unknown = group.Tools.Where(t => !agent.Tools.Contains(t)).Order(StringComparer.Ordinal).ToList();
                if (group.Tools.Count > 0 && unknown.Count > UnknownToolShare * group.Tools.Count)
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{runs} call tools that {bundle} does not declare: {unknown.Count} of {group.Tools.Count} distinct tool names ({(double)unknown.Count / group.Tools.Count:0%}) are not in its tools.json (e.g. {string.Join(", ", unknown.Take(3))}); is it the bundle of these runs?"));
                }
            }
        }

        return warnings;
    }

    private sealed class Group
    {
        public int Runs { get; set; }

        public HashSet<string> Tools { get; } = new(StringComparer.Ordinal);
    }
}
