using System.Text.RegularExpressions;
using Keel.Model;
using Keel.Tools;

namespace Keel.Monitors;

/// <summary>Claim/result mismatch: the assistant tells the customer an action is done ("your reservation has been cancelled",
/// "I've successfully booked …") when no write of that kind succeeded in the run — it failed, was denied, or never happened.</summary>
/// <remarks>
/// A claim is a past-tense completion phrase (has/have been …, successfully …, I've …, is now …) with an action verb. The verb
/// maps to write tools of the agent's catalog by name: cancel → <c>cancel*</c>; book → <c>book*</c>; update/modify/change →
/// (re)book → <c>book*</c>, <c>update*</c>, <c>modify*</c>; exchange → <c>exchange*</c>, <c>modify*</c>; return → <c>return*</c>;
/// sent → <c>send*</c>; upgrade → <c>update*</c>, <c>upgrade*</c>, <c>modify*</c>; generic outcomes (updated, modified, changed,
/// refunded, issued, added, processed) → any write. A phrase in a conditional or negated clause ("once it is cancelled", "cannot be
/// changed once they have been added") is not a claim. A claim whose verb matches no write tool of the catalog is ignored. The claim
/// is a mismatch when no matching write succeeded earlier in the run. Severity high: the customer was told something false.
/// </remarks>
public sealed partial class ClaimResultMonitor : IRunMonitor
{
    // Specific verbs name the write that must have happened; generic outcome verbs (refunded, issued, processed, updated)
    // follow from many writes (a cancellation refunds, a flight change rebooks), so any successful write backs them.
    private static readonly string[] AnyWrite = [string.Empty];

    private static readonly (string Verb, string[] Prefixes)[] VerbTools =
    [
        ("cancel", ["cancel"]), ("book", ["book", "update", "modify"]), ("exchang", ["exchange", "modify"]), ("return", ["return"]),
        ("updat", AnyWrite), ("modif", AnyWrite), ("chang", AnyWrite), ("refund", AnyWrite), ("sent", ["send"]), ("issu", AnyWrite),
        ("upgrad", ["update", "upgrade", "modify"]), ("add", AnyWrite), ("process", AnyWrite),
    ];

    /// <inheritdoc />
    public string Name => "claim_result";

    /// <inheritdoc />
    public IMonitorSession Start(Run run, AgentVersion agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new Session(this, agent.Tools);
    }

    [GeneratedRegex(@"\b(?:has|have) been (?:successfully )?(?<verb>\w+ed)\b|\bsuccessfully (?<verb>\w+ed)\b|\bI(?:'ve| have) (?:successfully |now |just )?(?<verb>\w+ed)\b|\b(?:is|are) now (?<verb>\w+ed)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex ClaimRegex();

    [GeneratedRegex(@"\b(once|if|when|whether|after|before|until|unless|not|cannot|can't|won't|isn't|hasn't|haven't)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex ConditionRegex();

    private sealed class Session(ClaimResultMonitor owner, ToolCatalog catalog) : IMonitorSession
    {
        private readonly Dictionary<string, ToolCall> _calls = new(StringComparer.Ordinal);
        private readonly List<(string Tool, ToolResultStatus Status, string Output, long Sequence)> _writes = [];

        public void Observe(RunEvent runEvent, ICollection<Finding> findings)
        {
            switch (runEvent)
            {
                case ToolCallEvent call:
                    _calls[call.Call.Id] = call.Call;
                    break;
                case ToolResultEvent result when catalog.TryGet(result.ToolName, out var tool) && tool.Type == ToolType.Write:
                    _writes.Add((result.ToolName, result.Result.Status, result.Result.Output, runEvent.Sequence));
                    break;
                case MessageEvent { Role: MessageRole.Assistant } message:
                    Check(message, findings);
                    break;
            }
        }

        public void Complete(ICollection<Finding> findings)
        {
        }

        private void Check(MessageEvent message, ICollection<Finding> findings)
        {
            foreach (Match match in ClaimRegex().Matches(message.Content))
            {
                if (IsConditional(message.Content, match.Index))
                {
                    continue;
                }

                var verb = match.Groups["verb"].Value.ToLowerInvariant();
                var prefixes = VerbTools.FirstOrDefault(v => verb.StartsWith(v.Verb, StringComparison.Ordinal)).Prefixes;
                if (prefixes is null)
                {
                    continue;
                }

                var tools = catalog.Tools.Where(t => t.Type == ToolType.Write && prefixes.Any(p => t.Name.StartsWith(p, StringComparison.Ordinal))).Select(t => t.Name).ToHashSet();
                var named = prefixes == AnyWrite ? "write" : string.Join("/", tools.Order());
                if (tools.Count == 0 || _writes.Any(w => w.Status == ToolResultStatus.Ok && tools.Contains(w.Tool)))
                {
                    continue;
                }

                var failed = _writes.LastOrDefault(w => tools.Contains(w.Tool));
                var quote = Quote(message.Content, match.Index);
                var text = failed.Tool is null
                    ? $"the assistant said \"{quote}\" but no {named} call happened in the run"
                    : $"the assistant said \"{quote}\" but {failed.Tool} {(failed.Status == ToolResultStatus.Error ? $"failed: {Trim(failed.Output)}" : "did not run")}";
                long[] sequences = failed.Tool is null ? [message.Sequence] : [failed.Sequence, message.Sequence];
                findings.Add(new Finding("claim_result_mismatch", FindingSeverity.High, text, sequences, owner.Name));
                return;
            }
        }

        // "once the reservation is cancelled, …", "if it has been booked": a condition, not a claim.
        private static bool IsConditional(string text, int at)
        {
            var start = Math.Max(0, text.LastIndexOfAny(['.', '!', '?', '\n'], Math.Max(0, at - 1)) + 1);
            return ConditionRegex().IsMatch(text.AsSpan(start, at - start));
        }

        private static string Quote(string text, int at)
        {
            var start = Math.Max(0, text.LastIndexOfAny(['.', '!', '?', '\n'], Math.Max(0, at - 1)) + 1);
            var end = text.IndexOfAny(['.', '!', '?', '\n'], at);
            return Trim(text[start..(end < 0 ? text.Length : end)].Trim());
        }

        private static string Trim(string text) => text.Length > 160 ? text[..160] + "…" : text;
    }
}
