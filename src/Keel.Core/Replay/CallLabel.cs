namespace Keel.Replay;

/// <summary>A benchmark's verdict on the tool calls of one run, used only to measure Keel's malformed-call findings
/// (<c>metrics.wrong_calls_recall</c>); never shown to policies or monitors.</summary>
/// <param name="Valid">Whether the calls were judged correct (BFCL: the item is absent from the checker's failures).</param>
/// <param name="ErrorType">The benchmark's error type when <paramref name="Valid"/> is <see langword="false"/>, e.g. BFCL's
/// <c>type_error:nested</c> or <c>irrelevance_error:decoder_success</c>; <see langword="null"/> for valid calls or when the source gives none.</param>
public sealed record CallLabel(bool Valid, string? ErrorType = null)
{
    /// <summary>The label of correct calls.</summary>
    public static CallLabel ValidCalls { get; } = new(true);
}
