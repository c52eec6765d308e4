using Keel.Failures;
using Keel.Model;
using Keel.Monitors;
using Keel.Replay;

namespace Keel.Reports;

/// <summary>Adds up the metrics of assessed runs (one domain or all). Not thread-safe.</summary>
internal sealed class MetricsAccumulator
{
    private readonly Dictionary<string, int> _decisions = new(StringComparer.Ordinal);
    private int _runs;
    private int _labelled;
    private int _agree;
    private int _toolCalls;
    private int _successfulWrites;
    private int _expectedWrites;
    private int _unsafeWrites;
    private int _unsafeHeld;
    private int _expectedHeld;
    private int _withExpected;
    private int _mismatches;
    private int _repeats;
    private int _transfers;
    private int _turnedNegative;
    private readonly Dictionary<string, int> _sentiment = new(StringComparer.Ordinal);
    private int _handoffs;

    /// <summary>Malformed-call checks of these runs (BFCL labels).</summary>
    public CallCheckAccumulator CallChecks { get; } = new();

    /// <summary>Escalation, topic and tag figures of these runs.</summary>
    public EscalationAccumulator Escalations { get; } = new();

    /// <summary>Prompt-injection containment of these runs (AgentDojo labels).</summary>
    public AttackAccumulator Attacks { get; } = new();

    public void Add(RunAssessment assessment, AttackAssessment? attack)
    {
        var replayed = assessment.Replayed;
        CallChecks.Add(replayed);
        Escalations.Add(replayed);
        if (attack is not null)
        {
            Attacks.Add(attack);
        }

        _runs++;
        if (assessment.AgreesWithReward is { } agrees)
        {
            _labelled++;
            _agree += agrees ? 1 : 0;
        }

        _withExpected += assessment.HasExpectedActions ? 1 : 0;
        foreach (var call in replayed.Calls)
        {
            _toolCalls++;
            var kind = HandoffPacketBuilder.Snake(call.Decision.Kind);
            _decisions[kind] = _decisions.GetValueOrDefault(kind) + 1;
            _successfulWrites += call.IsSuccessfulWrite ? 1 : 0;
        }

        _expectedWrites += assessment.ExpectedWrites.Count;
        _expectedHeld += assessment.ExpectedWrites.Count(c => c.IsHeld);
        _unsafeWrites += assessment.UnsafeWrites.Count;
        _unsafeHeld += assessment.UnsafeWrites.Count(c => c.IsHeld);
        foreach (var finding in replayed.Findings)
        {
            switch (finding.Type)
            {
                case "claim_result_mismatch": _mismatches++; break;
                case TagTypes.RepeatedQuestion: _repeats++; break;
                case "human_transfer": _transfers++; break;
                case TagTypes.SentimentTurnedNegative: _turnedNegative++; break;
                case TagTypes.SentimentNegative or TagTypes.SentimentNeutral or TagTypes.SentimentPositive or TagTypes.SentimentDeclining or TagTypes.SentimentImproving:
                    _sentiment[finding.Type] = _sentiment.GetValueOrDefault(finding.Type) + 1;
                    break;
            }
        }

        _handoffs += replayed.Run.Handoff is null ? 0 : 1;
    }

    /// <summary>The metrics; <paramref name="skipped"/> is the number of skipped records counted with them (the report's one list of them).</summary>
    public ReportMetrics Build(double elapsedMs, int skipped) => Escalations.AddTo(Attacks.AddTo(CallChecks.AddTo(new()
    {
        RunsTotal = _runs + skipped,
        RunsReplayed = _runs,
        RunsSkipped = skipped,
        OutcomeAgreement = _labelled == 0 ? null : _agree / (double)_labelled,
        OutcomeLabelledRuns = _labelled,
        ToolCalls = _toolCalls,
        Decisions = new SortedDictionary<string, int>(_decisions, StringComparer.Ordinal),
        SuccessfulWrites = _successfulWrites,
        ExpectedWrites = _expectedWrites,
        UnsafeWrites = _unsafeWrites,
        UnsafeWritesHeld = _unsafeHeld,
        UnsafeWritesHeldShare = _withExpected == 0 || _unsafeWrites == 0 ? null : _unsafeHeld / (double)_unsafeWrites,
        ExpectedWritesHeld = _expectedHeld,
        ExpectedWritesHeldShare = _withExpected == 0 || _expectedWrites == 0 ? null : _expectedHeld / (double)_expectedWrites,
        ClaimResultMismatches = _mismatches,
        RepeatedQuestions = _repeats,
        HumanTransfers = _transfers,
        SentimentTurnedNegative = _turnedNegative,
        SentimentTags = new SortedDictionary<string, int>(_sentiment, StringComparer.Ordinal),
        Handoffs = _handoffs,
        ElapsedMs = elapsedMs,
        RunsPerSecond = elapsedMs <= 0 ? 0 : _runs / (elapsedMs / 1000.0),
    })));
}
