using Keel.Model;

namespace Keel.Interventions;

/// <summary>The rules of live intervention as pure functions of a run's status: whether the agent's reply is delivered or held,
/// whether its tool calls may run, and which status an operator's action leads to (docs/intervention.md).</summary>
public static class MessageGate
{
    /// <summary>Whether an <c>assistant</c> reply of a run in <paramref name="status"/> is held for an operator instead of delivered:
    /// true while the run is <see cref="RunStatus.Paused"/> or <see cref="RunStatus.TakenOver"/>.</summary>
    /// <param name="status">The run's status when the reply is committed (under the run's lock).</param>
    /// <returns>Whether the reply is held.</returns>
    public static bool Holds(RunStatus status) => status is RunStatus.Paused or RunStatus.TakenOver;

    /// <summary>Whether an agent's tool calls are refused (never executed): true while an operator has taken the run over.</summary>
    /// <param name="status">The run's status.</param>
    /// <returns>Whether refused.</returns>
    public static bool RefusesToolCalls(RunStatus status) => status == RunStatus.TakenOver;

    /// <summary>The status an operator's <paramref name="action"/> leads to from <paramref name="status"/>, or why it cannot:
    /// pause from active or awaiting approval; take over from active, awaiting approval or paused; release from paused or taken over
    /// (back to active).</summary>
    /// <param name="status">The run's status now.</param>
    /// <param name="action"><see cref="InterventionActions.Pause"/>, <see cref="InterventionActions.Takeover"/> or <see cref="InterventionActions.Release"/>.</param>
    /// <returns>The new status, or a sentence saying why the action does not apply.</returns>
    /// <exception cref="ArgumentException"><paramref name="action"/> is not pause, takeover or release.</exception>
    public static (RunStatus? Next, string? Refusal) Apply(RunStatus status, string action) => action switch
    {
        InterventionActions.Pause when status is RunStatus.Active or RunStatus.AwaitingApproval => (RunStatus.Paused, null),
        InterventionActions.Takeover when status is RunStatus.Active or RunStatus.AwaitingApproval or RunStatus.Paused => (RunStatus.TakenOver, null),
        InterventionActions.Release when Holds(status) => (RunStatus.Active, null),
        InterventionActions.Pause or InterventionActions.Takeover or InterventionActions.Release => (null, $"a run that is {Name(status)} cannot be {Past(action)}"),
        _ => throw new ArgumentException($"'{action}' is not pause, takeover or release", nameof(action)),
    };

    private static string Name(RunStatus status) => Storage.RunEventJson.EnumName(status);

    private static string Past(string action) => action switch
    {
        InterventionActions.Pause => "paused",
        InterventionActions.Takeover => "taken over",
        _ => "released",
    };
}
