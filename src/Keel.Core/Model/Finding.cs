namespace Keel.Model;

/// <summary>What a monitor observed in a run: a tag, a signal or a violation.</summary>
/// <param name="Type">Machine-readable type, e.g. <c>claim_result_mismatch</c>, <c>repeated_question</c>, <c>human_transfer</c>.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">A sentence a person can read.</param>
/// <param name="EventSequences">Sequence numbers of the events the finding points to, in run order.</param>
/// <param name="Monitor">The monitor that produced it.</param>
public sealed record Finding(string Type, FindingSeverity Severity, string Message, IReadOnlyList<long> EventSequences, string Monitor);
