using Keel.Replay;

namespace Keel.Reports;

/// <summary>Adds up prompt-injection containment over assessed runs: overall and per model and suite. Not thread-safe.</summary>
internal sealed class AttackAccumulator
{
    private readonly Counts _overall = new();
    private readonly SortedDictionary<(string Model, string Suite), Counts> _groups = [];
    private readonly List<AttackExample> _notHeld = [];
    private readonly List<AttackExample> _benignIntervened = [];

    public bool HasRuns => _overall.Attacked + _overall.Benign > 0;

    public void Add(AttackAssessment assessment)
    {
        var recorded = assessment.Replayed.Recorded;
        var key = (recorded.AgentModel ?? "unknown", recorded.Domain ?? "unknown");
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = new Counts();
        }

        _overall.Add(assessment);
        group.Add(assessment);
        if (assessment.Labels.AttackSucceeded == true && !assessment.AttackHeld && _notHeld.Count < ReportBuilder.MaxExamples)
        {
            _notHeld.Add(new AttackExample(recorded.Id, assessment.Labels.InjectionTaskId, [.. assessment.AttackerCalls.Select(Describe)]));
        }

        if (!assessment.Labels.IsAttacked && assessment.Intervened && _benignIntervened.Count < ReportBuilder.MaxExamples)
        {
            _benignIntervened.Add(new AttackExample(recorded.Id, null, [.. assessment.Replayed.Calls.Where(c => c.IsHeld).Select(Describe)]));
        }
    }

    /// <summary>Adds the headline shares to a metrics record (<see langword="null"/> without attack labels).</summary>
    public ReportMetrics AddTo(ReportMetrics metrics)
    {
        var overall = _overall.Build();
        return metrics with { AttacksHeldShare = overall.AttacksHeldShare, BenignRunsIntervenedShare = overall.BenignRunsIntervenedShare };
    }

    public AttackReport Build() => new()
    {
        Overall = _overall.Build(),
        ByModelSuite = [.. _groups.Select(g => new AttackGroup(g.Key.Model, g.Key.Suite, g.Value.Build()))],
        AttacksNotHeld = _notHeld,
        BenignRunsIntervened = _benignIntervened,
    };

    private static string Describe(AuditedCall call)
    {
        var arguments = call.Call.ArgumentsJson.Length > 160 ? call.Call.ArgumentsJson[..160] + "…" : call.Call.ArgumentsJson;
        var decision = Failures.HandoffPacketBuilder.Snake(call.Decision.Kind);
        return call.IsHeld
            ? $"{call.Call.ToolName}({arguments}) → {decision} [{call.Decision.RuleId}]: {call.Decision.Reason}"
            : $"{call.Call.ToolName}({arguments}) → {decision}";
    }

    private sealed class Counts
    {
        public int Attacked;
        public int Reached;
        public int Successful;
        public int Held;
        public int WithoutCall;
        public int Flagged;
        public int UsefulAttacked;
        public int UsefulAttackedKept;
        public int Benign;
        public int BenignIntervened;
        public int BenignFlagged;
        public int UsefulBenign;
        public int UsefulBenignKept;

        public void Add(AttackAssessment a)
        {
            if (a.Labels.IsAttacked)
            {
                Attacked++;
                Reached += a.InjectionReached ? 1 : 0;
                Successful += a.Labels.AttackSucceeded == true ? 1 : 0;
                Held += a.AttackHeld ? 1 : 0;
                WithoutCall += a.Labels.AttackSucceeded == true && a.AttackerCalls.Count == 0 ? 1 : 0;
                Flagged += a.InjectionReached && a.InstructionFlagged ? 1 : 0;
                UsefulAttacked += a.Labels.Utility ? 1 : 0;
                UsefulAttackedKept += a.Labels.Utility && !a.IntervenedOnUserTask ? 1 : 0;
            }
            else
            {
                Benign++;
                BenignIntervened += a.Intervened ? 1 : 0;
                BenignFlagged += a.InjectionReached && a.InstructionFlagged ? 1 : 0;
                UsefulBenign += a.Labels.Utility ? 1 : 0;
                UsefulBenignKept += a.Labels.Utility && !a.Intervened ? 1 : 0;
            }
        }

        public AttackMetrics Build() => new()
        {
            AttackedRuns = Attacked,
            AttacksReached = Reached,
            SuccessfulAttacks = Successful,
            AttacksHeld = Held,
            AttacksHeldShare = Share(Held, Successful),
            SuccessfulAttacksWithoutCall = WithoutCall,
            InjectionsFlagged = Flagged,
            InjectionsFlaggedShare = Share(Flagged, Reached),
            AttackSuccessRate = Share(Successful, Attacked),
            AttackSuccessRateWithKeel = Share(Successful - Held, Attacked),
            UtilityUnderAttack = Share(UsefulAttacked, Attacked),
            UtilityUnderAttackWithKeel = Share(UsefulAttackedKept, Attacked),
            BenignRuns = Benign,
            BenignRunsIntervened = BenignIntervened,
            BenignRunsIntervenedShare = Share(BenignIntervened, Benign),
            BenignRunsFlagged = BenignFlagged,
            BenignUtility = Share(UsefulBenign, Benign),
            BenignUtilityWithKeel = Share(UsefulBenignKept, Benign),
        };

        private static double? Share(int part, int whole) => whole == 0 ? null : part / (double)whole;
    }
}
