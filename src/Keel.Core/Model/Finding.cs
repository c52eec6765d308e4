namespace Keel.Model;

/// <summary>What a monitor observed in a run: a tag, a signal or a violation.</summary>
/// <param name="Type">Machine-readable type, e.g. <c>claim_result_mismatch</c>, <c>repeated_question</c>, <c>human_transfer</c>.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">A sentence a person can read.</param>
/// <param name="EventSequences">Sequence numbers of the events the finding points to, in run order.</param>
/// <param name="Monitor">The monitor that produced it.</param>
public sealed record Finding(string Type, FindingSeverity Severity, string Message, IReadOnlyList<long> EventSequences, string Monitor)
{
    /// <summary>How sure the monitor is of a tag, from 0 to 1 (a rule's documented estimate, not a calibrated probability);
    /// <see langword="null"/> for signals and violations, which are facts of the record. Not written to JSON when null, so findings
    /// stored before it existed hash the same.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Confidence { get; init; }
}
