using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Versions;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>A version as <c>keel version … --json</c> writes it (snake_case, like the HTTP API).</summary>
internal sealed record VersionJson(string Agent, string Hash, string Label, string Model, string State, int? SharePercent, DateTimeOffset CreatedAt,
    string CreatedBy, string? Note, DateTimeOffset? ReleasedAt, IReadOnlyList<WorkflowFiguresJson>? Workflows = null)
{
    public static VersionJson From(VersionRecord v) =>
        new(v.Agent, v.Hash, v.Label, v.Model, VersionRecord.StateName(v.State), v.SharePercent, v.CreatedAt, v.CreatedBy, v.Note, v.ReleasedAt);
}

/// <summary>TSR and CPSR of one workflow under a version, as <c>keel version list --json</c> writes them (<see cref="WorkflowFigures"/>).</summary>
internal sealed record WorkflowFiguresJson(string Workflow, int Runs, int Ended, int Succeeded, double? Tsr, double? TsrLower, double? TsrUpper, decimal CostUsd, decimal? CostPerSuccessUsd)
{
    public static WorkflowFiguresJson From(WorkflowFigures f) =>
        new(f.Workflow, f.Runs, f.Ended, f.Succeeded, f.Tsr?.Estimate, f.Tsr?.Lower, f.Tsr?.Upper, f.CostUsd, f.CostPerSuccessUsd);
}

/// <summary>A version-history entry as <c>keel version history --json</c> writes it.</summary>
internal sealed record VersionEventJson(long Sequence, string Agent, string Action, string VersionHash, string Actor, DateTimeOffset At, string Detail, string Hash)
{
    public static VersionEventJson From(VersionEvent e) => new(e.Sequence, e.Agent, e.Action, e.VersionHash, e.Actor, e.At, e.Detail, e.Hash);
}

/// <summary>What an action changed, as <c>keel version validate|release|rollback|retire --json</c> write it.</summary>
internal sealed record VersionOutcomeJson(VersionEventJson Event, IReadOnlyList<VersionJson> Changed);

/// <summary>A registration, as <c>keel version register --json</c> writes it.</summary>
internal sealed record VersionRegisteredJson(bool Created, VersionJson Version, IReadOnlyList<string> Files);

/// <summary>A diff, as <c>keel version diff --json</c> writes it.</summary>
internal sealed record VersionDiffJson(string From, string To, IReadOnlyList<VersionChangeJson> Changes);

/// <summary>One change of a diff.</summary>
internal sealed record VersionChangeJson(string Area, string Text);

/// <summary>The <c>keel version watch --json</c> document: the version watched, each trigger's verdict and what was done.</summary>
internal sealed record VersionWatchJson(string Agent, string Version, string Role, int BaselineRuns, int CurrentRuns, IReadOnlyList<TriggerJson> Triggers, TriggerActionJson Action);

/// <summary>One trigger's verdict (<c>status</c>: fired, quiet, not_enough_runs, not_recorded).</summary>
internal sealed record TriggerJson(string Id, string When, string Action, [property: JsonConverter(typeof(JsonStringEnumConverter<Triggers.TriggerStatus>))] Triggers.TriggerStatus Status,
    string Reason, IReadOnlyList<TriggerMetricJson> Metrics);

/// <summary>A metric a trigger watches: both sides, the drift verdict and the Benjamini–Hochberg adjusted p-value.</summary>
internal sealed record TriggerMetricJson(string Name, string Baseline, string Current,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Drift.DriftVerdict>))] Drift.DriftVerdict Verdict, double? AdjustedPValue);

/// <summary>What the strongest fired trigger did: its id, the text, whether the registry changed and the history entry written.</summary>
internal sealed record TriggerActionJson(string? Trigger, string Text, bool Changed, VersionEventJson? Event);

/// <summary>The JSON of <c>keel version</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<VersionJson>))]
[JsonSerializable(typeof(IReadOnlyList<VersionEventJson>))]
[JsonSerializable(typeof(VersionOutcomeJson))]
[JsonSerializable(typeof(VersionRegisteredJson))]
[JsonSerializable(typeof(VersionDiffJson))]
[JsonSerializable(typeof(VersionWatchJson))]
internal sealed partial class VersionJsonContext : JsonSerializerContext;

/// <summary>Output of <c>keel version</c>: the tables of <see cref="AdminOutput"/>, JSON with <c>--json</c>.</summary>
internal static class VersionOutput
{
    /// <summary>Writes a value as JSON (<see cref="VersionJsonContext"/>), unstyled.</summary>
    public static void Json<T>(IAnsiConsole console, T value) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, typeof(T), VersionJsonContext.Default));

    /// <summary>Writes versions as a table: agent, hash, label, model, state, share, created, by, released, and TSR/CPSR per workflow
    /// of the runs each served (<see cref="VersionFigures.Describe"/>, workflows separated by <c>; </c>; <c>-</c> for none).</summary>
    public static void Table(IAnsiConsole console, IEnumerable<VersionRecord> versions, IReadOnlyDictionary<string, IReadOnlyList<WorkflowFigures>> figures) =>
        AdminOutput.Table(console, ["agent", "hash", "label", "model", "state", "share", "created", "by", "released", "runs: TSR, CPSR"], versions.Select(v => new[]
        {
            v.Agent, v.Hash, v.Label, v.Model, VersionRecord.StateName(v.State), v.SharePercent is { } share ? $"{share} %" : "-",
            AdminOutput.Time(v.CreatedAt), v.CreatedBy, AdminOutput.Time(v.ReleasedAt),
            figures.TryGetValue(v.Hash, out var of) ? string.Join("; ", of.Select(VersionFigures.Describe)) : "-",
        }));

    /// <summary>Writes an applied action: its detail, then the changed versions.</summary>
    public static void Outcome(IAnsiConsole console, VersionOutcome outcome, bool json)
    {
        if (json)
        {
            Json(console, new VersionOutcomeJson(VersionEventJson.From(outcome.Event!), [.. outcome.Changed.Select(VersionJson.From)]));
            return;
        }

        console.Profile.Out.Writer.WriteLine($"{outcome.Event!.Agent}: {outcome.Event.Detail} (history entry {outcome.Event.Sequence}, by {outcome.Event.Actor}).");
    }
}
