using Keel.Gateway;
using Keel.Model;

namespace Keel.Versions;

/// <summary>One difference between two versions, in words.</summary>
/// <param name="Area">What part of the bundle: <c>model</c>, <c>prompt</c>, <c>tools</c>, <c>policies</c>, <c>escalation</c>,
/// <c>budgets</c>, <c>loop_guard</c>, <c>handoff</c>, <c>execution</c> or <c>files</c>.</param>
/// <param name="Text">The change, e.g. <c>policy rule airline.cancel.not-flown removed</c>.</param>
public sealed record VersionChange(string Area, string Text);

/// <summary><c>keel version diff A B</c>: what changed from version A to version B, in words — prompt lines added and removed,
/// tools added, removed or with a changed schema, policy and escalation rules added, removed or changed, budgets, loop guard,
/// handoff and execution settings, and the model. Pure code over two loaded versions; thread-safe.</summary>
public static class VersionDiff
{
    /// <summary>The most prompt lines quoted per direction; the rest are counted.</summary>
    public const int MaxQuotedLines = 10;

    /// <summary>Compares two versions.</summary>
    /// <param name="before">Version A: the version loaded and its content (as <see cref="BundleContent.Read"/> returns them).</param>
    /// <param name="after">Version B.</param>
    /// <returns>The changes, grouped by area in the order of <see cref="VersionChange.Area"/>'s list; empty when the content hashes are equal.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<VersionChange> Compare((AgentVersion Agent, BundleContent Content) before, (AgentVersion Agent, BundleContent Content) after)
    {
        ArgumentNullException.ThrowIfNull(before.Content);
        ArgumentNullException.ThrowIfNull(after.Content);
        var changes = new List<VersionChange>();
        if (before.Content.Hash == after.Content.Hash)
        {
            return changes;
        }

        var (a, b) = (before.Agent, after.Agent);
        if (a.Model != b.Model)
        {
            changes.Add(new("model", $"model {a.Model} → {b.Model}"));
        }

        Prompt(changes, before.Content.Text(a.PromptFile) ?? "", after.Content.Text(b.PromptFile) ?? "");
        Tools(changes, a, b);
        foreach (var change in YamlRuleDiff.Compare("policy rule", before.Content.Text(Named(before.Content, "policies", "policies.yaml")), after.Content.Text(Named(after.Content, "policies", "policies.yaml")), "rules", "id"))
        {
            changes.Add(new("policies", change));
        }

        foreach (var (list, key, noun) in new[] { ("rules", "name", "escalation rule"), ("topics", "name", "topic") })
        {
            foreach (var change in YamlRuleDiff.Compare(noun, before.Content.Text(Named(before.Content, "escalation", "escalation.yaml")), after.Content.Text(Named(after.Content, "escalation", "escalation.yaml")), list, key))
            {
                changes.Add(new("escalation", change));
            }
        }

        Setting(changes, "budgets", "max_steps", a.Budgets.MaxSteps, b.Budgets.MaxSteps);
        Setting(changes, "budgets", "max_tool_calls", a.Budgets.MaxToolCalls, b.Budgets.MaxToolCalls);
        Setting(changes, "budgets", "max_tokens", a.Budgets.MaxTokens, b.Budgets.MaxTokens);
        Setting(changes, "budgets", "max_cost_usd", a.Budgets.MaxCostUsd, b.Budgets.MaxCostUsd);
        Setting(changes, "loop_guard", "max_repeats", a.LoopGuard.MaxRepeats, b.LoopGuard.MaxRepeats);
        Setting(changes, "loop_guard", "max_steps_without_progress", a.LoopGuard.MaxStepsWithoutProgress, b.LoopGuard.MaxStepsWithoutProgress);
        Setting(changes, "handoff", "team", a.Handoff.Team, b.Handoff.Team);
        Setting(changes, "handoff", "tools", string.Join(", ", a.Handoff.Tools), string.Join(", ", b.Handoff.Tools));
        if (a.Execution != b.Execution)
        {
            changes.Add(new("execution", "execution settings (timeouts, retries, circuit breaker) changed"));
        }

        var pathsA = before.Content.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var pathsB = after.Content.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        changes.AddRange(pathsB.Except(pathsA).Order(StringComparer.Ordinal).Select(p => new VersionChange("files", $"file {p} added")));
        changes.AddRange(pathsA.Except(pathsB).Order(StringComparer.Ordinal).Select(p => new VersionChange("files", $"file {p} removed")));

        // Every file whose bytes differ is named too, so two different hashes never read as "no change" (a policy's source document,
        // a top-level key, a tool field the lines above do not compare).
        var bytesA = before.Content.Files.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        changes.AddRange(after.Content.Files.Where(f => bytesA.TryGetValue(f.Path, out var hash) && hash != f.Sha256)
            .Select(f => new VersionChange("files", $"file {f.Path} changed")));
        return changes;
    }

    private static string Named(BundleContent content, string key, string fallback) =>
        YamlRuleDiff.TopScalar(content.Text("agent.yaml"), key) ?? fallback;

    private static void Prompt(List<VersionChange> changes, string before, string after)
    {
        var removed = Except(Lines(before), Lines(after));
        var added = Except(Lines(after), Lines(before));
        if (added.Count == 0 && removed.Count == 0)
        {
            return;
        }

        changes.Add(new("prompt", $"prompt: {added.Count} line(s) added, {removed.Count} removed"));
        changes.AddRange(added.Take(MaxQuotedLines).Select(l => new VersionChange("prompt", "+ " + Shorten(l))));
        changes.AddRange(removed.Take(MaxQuotedLines).Select(l => new VersionChange("prompt", "- " + Shorten(l))));
    }

    private static void Tools(List<VersionChange> changes, AgentVersion a, AgentVersion b)
    {
        foreach (var tool in b.Tools.Tools.Where(t => !a.Tools.Contains(t.Name)))
        {
            changes.Add(new("tools", $"tool {tool.Name} added ({tool.Type.ToString().ToLowerInvariant()}, schema {tool.SchemaVersion})"));
        }

        foreach (var tool in a.Tools.Tools.Where(t => !b.Tools.Contains(t.Name)))
        {
            changes.Add(new("tools", $"tool {tool.Name} removed"));
        }

        foreach (var old in a.Tools.Tools)
        {
            if (!b.Tools.TryGet(old.Name, out var now))
            {
                continue;
            }

            var what = new List<string>();
            if (CanonicalJson.Write(old.Parameters) != CanonicalJson.Write(now.Parameters) || old.SchemaVersion != now.SchemaVersion)
            {
                what.Add($"schema {old.SchemaVersion} → {now.SchemaVersion}" + (CanonicalJson.Write(old.Parameters) == CanonicalJson.Write(now.Parameters) ? " (parameters unchanged)" : " (parameters changed)"));
            }

            if (old.Type != now.Type)
            {
                what.Add($"type {old.Type.ToString().ToLowerInvariant()} → {now.Type.ToString().ToLowerInvariant()}");
            }

            if (old.IsIdempotent != now.IsIdempotent)
            {
                what.Add(now.IsIdempotent ? "now idempotent" : "no longer idempotent");
            }

            if (old.Description != now.Description)
            {
                what.Add("description changed");
            }

            if (what.Count > 0)
            {
                changes.Add(new("tools", $"tool {old.Name}: {string.Join("; ", what)}"));
            }
        }
    }

    private static void Setting<T>(List<VersionChange> changes, string area, string name, T before, T after)
    {
        if (!EqualityComparer<T>.Default.Equals(before, after))
        {
            changes.Add(new(area, $"{area}.{name} {Show(before)} → {Show(after)}"));
        }
    }

    private static string Show<T>(T value) => value switch
    {
        null => "unset",
        string { Length: 0 } => "none",
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "unset",
    };

    private static List<string> Lines(string text) => [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0)];

    /// <summary>The lines of <paramref name="from"/> not matched by a line of <paramref name="other"/>, counting repeats (a multiset difference), in order.</summary>
    private static List<string> Except(List<string> from, List<string> other)
    {
        var left = other.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var line in from)
        {
            if (left.TryGetValue(line, out var count) && count > 0)
            {
                left[line] = count - 1;
            }
            else
            {
                result.Add(line);
            }
        }

        return result;
    }

    private static string Shorten(string line) => line.Length <= 120 ? line : line[..117] + "...";
}
