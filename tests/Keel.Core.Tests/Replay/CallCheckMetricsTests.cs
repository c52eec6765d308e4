using Keel.Core.Tests.Gateway;
using Keel.Model;
using Keel.Replay;
using Keel.Reports;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Replay;

public sealed class CallCheckMetricsTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static RunAssessment Run(string id, CallLabel? label, params string[] findingTypes)
    {
        var recorded = new RecordedRun
        {
            Id = id,
            Source = new RecordSource("results.json", 0),
            Domain = id.Split('-')[0],
            StartedAt = At,
            Steps = [],
            Labels = RunLabels.None with { Calls = label },
        };
        Finding[] findings = [.. findingTypes.Select(type => new Finding(type, FindingSeverity.High, $"{type} in {id}", [1], "test"))];
        return RunAssessment.Assess(new ReplayedRun(recorded, new Keel.Model.Run(id, "default", "a", "1", At), [], findings), new HashSet<string>());
    }

    private static ReplayReport Report(params RunAssessment[] runs)
    {
        var builder = new ReportBuilder(GatewayKit.Agent());
        foreach (var run in runs)
        {
            builder.Add(run);
        }

        return builder.Build(At, 1, []);
    }

    private static readonly RunAssessment[] Labelled =
    [
        Run("simple-1", new CallLabel(false, "type_error:simple"), "wrong_type"),
        Run("simple-2", new CallLabel(false, "value_error:string")),
        Run("simple-3", new CallLabel(false, "value_error:string")),
        Run("irrelevance-1", new CallLabel(false, "irrelevance_error:decoder_success"), "missing_argument", "no_function_fits", "missing_argument"),
        Run("simple-4", CallLabel.ValidCalls),
        Run("simple-5", CallLabel.ValidCalls),
        Run("simple-6", CallLabel.ValidCalls, "value_not_allowed"),
        Run("simple-7", CallLabel.ValidCalls, "human_transfer"), // not a call finding
    ];

    [Fact]
    public void Build_LabelledRuns_RecallValidFlaggedShareAndPrecision()
    {
        var m = Report(Labelled).Metrics;

        m.WrongCallsRecall.ShouldBe(2 / 4.0);
        m.ValidCallsFlaggedShare.ShouldBe(1 / 4.0);
        m.WrongCallsPrecision.ShouldBe(2 / 3.0);
    }

    [Fact]
    public void Build_LabelledRuns_SectionCountsAndRecallPerErrorType()
    {
        var c = Report(Labelled).CallChecks;

        (c.LabelledRuns, c.WrongRuns, c.WrongRunsFlagged, c.ValidRuns, c.ValidRunsFlagged).ShouldBe((8, 4, 2, 4, 1));
        c.ByErrorType.ShouldBe(
        [
            new CallErrorTypeStats("irrelevance_error:decoder_success", 1, 1, 1),
            new CallErrorTypeStats("type_error:simple", 1, 1, 1),
            new CallErrorTypeStats("value_error:string", 2, 0, 0),
        ]);
    }

    [Fact]
    public void Build_Findings_CountedPerTypeWithTheLabelsOfTheirRuns()
    {
        var c = Report(Labelled).CallChecks;

        c.ByFindingType.ShouldBe(
        [
            new CallFindingStats("missing_argument", 2, 1, 1, 0, 1),
            new CallFindingStats("wrong_type", 1, 1, 1, 0, 1),
            new CallFindingStats("value_not_allowed", 1, 1, 0, 1, 0),
            new CallFindingStats("no_function_fits", 1, 1, 1, 0, 1),
        ]);
        c.FlaggedValidRuns.ShouldHaveSingleItem().ShouldBe(new CallCheckExample("simple-6", "simple", "valid", "value_not_allowed", "value_not_allowed in simple-6"));
        c.MissedWrongRuns.Select(e => (e.RunId, e.Label, e.Message)).ShouldBe([("simple-2", "value_error:string", "no call"), ("simple-3", "value_error:string", "no call")]);
    }

    [Fact]
    public void Build_ByDomain_HasItsOwnShares()
    {
        var domains = Report(Labelled).ByDomain.ToDictionary(d => d.Domain, d => d.Metrics);

        domains["irrelevance"].WrongCallsRecall.ShouldBe(1);
        domains["irrelevance"].ValidCallsFlaggedShare.ShouldBeNull();
        domains["simple"].WrongCallsRecall.ShouldBe(1 / 3.0);
        domains["simple"].ValidCallsFlaggedShare.ShouldBe(1 / 4.0);
    }

    [Fact]
    public void Build_NoCallLabels_SharesAreNullButFindingsAreStillCounted()
    {
        var report = Report(Run("tau-1", null, "extra_argument"), Run("tau-2", null));

        report.Metrics.ShouldSatisfyAllConditions(
            m => m.WrongCallsRecall.ShouldBeNull(),
            m => m.ValidCallsFlaggedShare.ShouldBeNull(),
            m => m.WrongCallsPrecision.ShouldBeNull());
        report.CallChecks.LabelledRuns.ShouldBe(0);
        report.CallChecks.ByFindingType.ShouldHaveSingleItem().ShouldBe(new CallFindingStats("extra_argument", 1, 1, 0, 0, null));
    }

    [Fact]
    public void Build_LabelsButNothingFlagged_PrecisionIsNullAndRecallZero()
    {
        var m = Report(Run("simple-1", new CallLabel(false, "value_error:others")), Run("simple-2", CallLabel.ValidCalls)).Metrics;

        (m.WrongCallsRecall, m.ValidCallsFlaggedShare, m.WrongCallsPrecision).ShouldBe(((double?)0.0, (double?)0.0, (double?)null));
    }
}
