namespace Keel.Sentiment;

/// <summary>One human-rated text of a VADER ground-truth file.</summary>
/// <param name="Id">The text's id, as written in the file.</param>
/// <param name="Mean">The mean sentiment rating of the human raters (at least 20 in the paper's sets), on −4 … +4.</param>
/// <param name="Text">The text.</param>
/// <param name="Line">The 1-based line of the file it was read from.</param>
public sealed record GroundTruthItem(string Id, double Mean, string Text, int Line);

/// <summary>A line of a ground-truth file that was not read, and why.</summary>
/// <param name="Source">The file (or the name given for the reader).</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Reason">What is wrong with the line, e.g. <c>mean 'abc' is not a number</c>.</param>
public sealed record GroundTruthSkip(string Source, int Line, string Reason)
{
    /// <summary>The skip as <c>file:line: reason</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Source}:{Line}: {Reason}";
}

/// <summary>A ground-truth file as read: the items in file order and the lines skipped.</summary>
/// <param name="Source">The file.</param>
/// <param name="Items">The readable lines, in file order.</param>
/// <param name="Skipped">The lines skipped, in file order.</param>
public sealed record GroundTruthSet(string Source, IReadOnlyList<GroundTruthItem> Items, IReadOnlyList<GroundTruthSkip> Skipped);
