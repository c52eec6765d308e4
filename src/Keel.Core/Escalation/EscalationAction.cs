namespace Keel.Escalation;

/// <summary>What an escalation rule does to a live run when it fires (<c>action:</c> in <c>escalation.yaml</c>, docs/escalation.md).
/// Either way the rule adds its <c>escalation</c> finding.</summary>
public enum EscalationAction
{
    /// <summary>Hands the run to the rule's team with a handoff packet; the run goes <see cref="Model.RunStatus.HandedOff"/>. The default.</summary>
    Handoff,

    /// <summary>Pauses the run (<see cref="Model.RunStatus.Paused"/>): the agent's next replies are held for an operator, its tool calls go
    /// on, and a later <see cref="Handoff"/> rule may still hand it off. The pause is an intervention event whose actor is
    /// <c>rule:&lt;name&gt;</c>.</summary>
    Pause,
}
