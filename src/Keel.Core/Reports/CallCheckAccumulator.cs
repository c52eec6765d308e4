using Keel.Monitors;
using Keel.Replay;

namespace Keel.Reports;

/// <summary>Adds up Keel's call findings against the runs' call validity labels (<see cref="RunLabels.Calls"/>): recall, the
/// share of valid runs flagged, precision, and their breakdowns. A run counts as flagged when it has at least one finding of a
/// <see cref="CallFindingTypes"/> type. Not thread-safe.</summary>
internal sealed class CallCheckAccumulator
{
    private readonly SortedDictionary<string, (int Runs, int Flagged)> _byErrorType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Findings, int Runs, int Wrong, int Valid)> _byFinding = new(StringComparer.Ordinal);
    private readonly List<CallCheckExample> _flaggedValid = [];
    private readonly List<CallCheckExample> _missedWrong = [];
    private int _wrong;
    private int _wrongFlagged;
    private int _valid;
    private int _validFlagged;

    public void Add(ReplayedRun replayed)
    {
        var findings = replayed.Findings.Where(f => CallFindingTypes.IsCallFinding(f.Type)).ToList();
        var label = replayed.Recorded.Labels.Calls;
        foreach (var type in findings.GroupBy(f => f.Type))
        {
            var entry = _byFinding.GetValueOrDefault(type.Key);
            _byFinding[type.Key] = (entry.Findings + type.Count(), entry.Runs + 1, entry.Wrong + (label is { Valid: false } ? 1 : 0), entry.Valid + (label is { Valid: true } ? 1 : 0));
        }

        if (label is null)
        {
            return;
        }

        var flagged = findings.Count > 0;
        var domain = replayed.Recorded.Domain ?? "unknown";
        if (label.Valid)
        {
            _valid++;
            _validFlagged += flagged ? 1 : 0;
            if (flagged && _flaggedValid.Count < ReportBuilder.MaxExamples)
            {
                _flaggedValid.Add(new CallCheckExample(replayed.Run.Id, domain, "valid", findings[0].Type, findings[0].Message));
            }

            return;
        }

        _wrong++;
        _wrongFlagged += flagged ? 1 : 0;
        var errorType = label.ErrorType ?? "unknown";
        var byType = _byErrorType.GetValueOrDefault(errorType);
        _byErrorType[errorType] = (byType.Runs + 1, byType.Flagged + (flagged ? 1 : 0));
        if (!flagged && _missedWrong.Count < ReportBuilder.MaxExamples)
        {
            var calls = replayed.Calls.Count == 0 ? "no call" : string.Join("; ", replayed.Calls.Select(c => $"{c.Call.ToolName} {Shorten(c.Call.ArgumentsJson)}"));
            _missedWrong.Add(new CallCheckExample(replayed.Run.Id, domain, errorType, null, calls));
        }
    }

    /// <summary>Adds the shares to a metrics record.</summary>
    public ReportMetrics AddTo(ReportMetrics metrics) => metrics with
    {
        WrongCallsRecall = Share(_wrongFlagged, _wrong),
        ValidCallsFlaggedShare = Share(_validFlagged, _valid),
        WrongCallsPrecision = Share(_wrongFlagged, _wrongFlagged + _validFlagged),
    };

    public CallCheckSection Build() => new()
    {
        LabelledRuns = _wrong + _valid,
        WrongRuns = _wrong,
        WrongRunsFlagged = _wrongFlagged,
        ValidRuns = _valid,
        ValidRunsFlagged = _validFlagged,
        ByErrorType = [.. _byErrorType.Select(e => new CallErrorTypeStats(e.Key, e.Value.Runs, e.Value.Flagged, e.Value.Flagged / (double)e.Value.Runs))],
        ByFindingType = [.. CallFindingTypes.All.Where(_byFinding.ContainsKey).Select(type =>
        {
            var (findings, runs, wrong, valid) = _byFinding[type];
            return new CallFindingStats(type, findings, runs, wrong, valid, Share(wrong, wrong + valid));
        })],
        FlaggedValidRuns = _flaggedValid,
        MissedWrongRuns = _missedWrong,
    };

    private static double? Share(int count, int of) => of == 0 ? null : count / (double)of;

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
