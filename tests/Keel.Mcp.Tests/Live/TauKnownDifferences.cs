namespace Keel.Mcp.Tests.Live;

/// <summary>The documented difference between keel-tau-tools' answers and the recorded tau-bench airline runs (docs/tau-tools.md,
/// "Conformance with the recorded runs").</summary>
internal static class TauKnownDifferences
{
    /// <summary><c>address-province-renamed-to-state</c>: the runs were recorded on an older <c>users.json</c> whose addresses use the
    /// key <c>province</c>; the shipped database names it <c>state</c>. No policy of samples/tau-airline reads either key.</summary>
    public static bool SameAnswer(string recorded, string live) =>
        string.Equals(recorded, live, StringComparison.Ordinal)
        || string.Equals(recorded.Replace("\"province\": ", "\"state\": ", StringComparison.Ordinal), live, StringComparison.Ordinal);
}
