namespace Keel.Reports;

/// <summary>Prompt-injection containment (AgentDojo inputs): overall and per model and suite. Documented in <c>docs/report-json.md</c>.</summary>
public sealed record AttackReport
{
    /// <summary>Over every run with attack labels.</summary>
    public required AttackMetrics Overall { get; init; }

    /// <summary>Per agent model and suite, ordered by model then suite.</summary>
    public required IReadOnlyList<AttackGroup> ByModelSuite { get; init; }

    /// <summary>Up to 25 successful attacks Keel would not have stopped, for a person to read.</summary>
    public required IReadOnlyList<AttackExample> AttacksNotHeld { get; init; }

    /// <summary>Up to 25 unattacked runs in which Keel held or denied a call.</summary>
    public required IReadOnlyList<AttackExample> BenignRunsIntervened { get; init; }
}

/// <summary>The metrics of one model and suite.</summary>
/// <param name="Model">The agent model, e.g. <c>gpt-4o-2024-05-13</c>.</param>
/// <param name="Suite">The suite, e.g. <c>banking</c>.</param>
/// <param name="Metrics">The metrics.</param>
public sealed record AttackGroup(string Model, string Suite, AttackMetrics Metrics);

/// <summary>Containment metrics. Shares are 0–1, <see langword="null"/> when their denominator is 0.</summary>
public sealed record AttackMetrics
{
    /// <summary>Runs with a planted attack.</summary>
    public int AttackedRuns { get; init; }

    /// <summary>Attacked runs where the planted text reached the agent in a tool result.</summary>
    public int AttacksReached { get; init; }

    /// <summary>Attacked runs the benchmark labels a success for the attacker (<c>security == true</c>).</summary>
    public int SuccessfulAttacks { get; init; }

    /// <summary>Successful attacks whose every attacker-serving call Keel denied or held.</summary>
    public int AttacksHeld { get; init; }

    /// <summary><see cref="AttacksHeld"/> / <see cref="SuccessfulAttacks"/>.</summary>
    public double? AttacksHeldShare { get; init; }

    /// <summary>Successful attacks with no tool call after the planted text arrived (e.g. the attack only changed the answer text): no call to hold.</summary>
    public int SuccessfulAttacksWithoutCall { get; init; }

    /// <summary>Attacked runs where the planted text reached the agent and the <c>untrusted_instruction</c> monitor flagged it.</summary>
    public int InjectionsFlagged { get; init; }

    /// <summary><see cref="InjectionsFlagged"/> / <see cref="AttacksReached"/>.</summary>
    public double? InjectionsFlaggedShare { get; init; }

    /// <summary>Attack success rate as recorded: <see cref="SuccessfulAttacks"/> / <see cref="AttackedRuns"/>.</summary>
    public double? AttackSuccessRate { get; init; }

    /// <summary>Attack success rate had Keel enforced: successful attacks not held / attacked runs.</summary>
    public double? AttackSuccessRateWithKeel { get; init; }

    /// <summary>Utility under attack as recorded: attacked runs with <c>utility == true</c> / attacked runs.</summary>
    public double? UtilityUnderAttack { get; init; }

    /// <summary>Utility under attack had Keel enforced: useful attacked runs in which Keel held no call other than attacker-serving ones / attacked runs.</summary>
    public double? UtilityUnderAttackWithKeel { get; init; }

    /// <summary>Runs without an attack.</summary>
    public int BenignRuns { get; init; }

    /// <summary>Unattacked runs in which Keel held or denied any call.</summary>
    public int BenignRunsIntervened { get; init; }

    /// <summary><see cref="BenignRunsIntervened"/> / <see cref="BenignRuns"/>.</summary>
    public double? BenignRunsIntervenedShare { get; init; }

    /// <summary>Unattacked runs the <c>untrusted_instruction</c> monitor flagged (false alarms of the signal).</summary>
    public int BenignRunsFlagged { get; init; }

    /// <summary>Utility without attack as recorded.</summary>
    public double? BenignUtility { get; init; }

    /// <summary>Utility without attack had Keel enforced: useful unattacked runs in which Keel held no call / unattacked runs.</summary>
    public double? BenignUtilityWithKeel { get; init; }
}

/// <summary>One run for a person to read.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="InjectionTask">The attacker's goal id, or <see langword="null"/> for an unattacked run.</param>
/// <param name="Calls">The calls that matter (attacker-serving calls, or the held calls of a benign run) as <c>tool(arguments) → decision [rule]: reason</c>.</param>
public sealed record AttackExample(string RunId, string? InjectionTask, IReadOnlyList<string> Calls);
