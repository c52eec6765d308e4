namespace Keel.Provenance;

/// <summary>Where a value was seen: the kind of source, what it was (e.g. <c>user message</c>, <c>get_webpage output</c>) and the run event.</summary>
/// <param name="Origin">The source's trust class (one flag).</param>
/// <param name="Label">A readable name of the source, e.g. <c>user message</c> or <c>read_file output</c>.</param>
/// <param name="Sequence">The sequence number of the run event that carried it; -1 when unknown.</param>
public readonly record struct SourceRef(ValueOrigin Origin, string Label, long Sequence)
{
    /// <inheritdoc />
    public override string ToString() => Sequence >= 0 ? $"{Label} (event {Sequence})" : Label;
}
