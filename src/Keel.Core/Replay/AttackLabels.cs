namespace Keel.Replay;

/// <summary>Prompt-injection labels of a recorded run (AgentDojo). Used only to measure Keel, never shown to policies.</summary>
/// <param name="UserTaskId">The user task, e.g. <c>user_task_1</c> (or <c>injection_task_3</c> when an injection task was run as an ordinary task).</param>
/// <param name="AttackType">The attack, e.g. <c>important_instructions</c>; <see langword="null"/> for an unattacked run.</param>
/// <param name="InjectionTaskId">The attacker's goal, e.g. <c>injection_task_0</c>; <see langword="null"/> when unattacked.</param>
/// <param name="Injections">Injection slot name → the text planted there (empty when unattacked).</param>
/// <param name="AttackSucceeded">Whether the attacker's goal was reached (AgentDojo <c>security == true</c>); <see langword="null"/> when unattacked.</param>
/// <param name="Utility">Whether the user's task was accomplished (AgentDojo <c>utility</c>).</param>
public sealed record AttackLabels(
    string UserTaskId,
    string? AttackType,
    string? InjectionTaskId,
    IReadOnlyDictionary<string, string> Injections,
    bool? AttackSucceeded,
    bool Utility)
{
    /// <summary>Whether the run was attacked.</summary>
    public bool IsAttacked => AttackType is not null;
}
