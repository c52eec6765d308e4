using Keel.Gateway;
using Keel.Model;

namespace Keel.Monitors;

/// <summary>The monitors of one run: forwards each event to every session and appends their findings to the run as finding events. Not thread-safe (one run).</summary>
public sealed class RunMonitors : IRunObserver
{
    private readonly Run _run;
    private readonly IMonitorSession[] _sessions;
    private readonly List<Finding> _pending = [];
    private readonly List<Finding> _all = [];

    /// <summary>Starts every monitor on a run.</summary>
    /// <param name="run">The run.</param>
    /// <param name="agent">Its agent version.</param>
    /// <param name="monitors">The monitors.</param>
    public RunMonitors(Run run, AgentVersion agent, IEnumerable<IRunMonitor> monitors)
    {
        ArgumentNullException.ThrowIfNull(monitors);
        _run = run;
        _sessions = [.. monitors.Select(m => m.Start(run, agent))];
    }

    /// <summary>The standard monitors: claim/result mismatch, repeated user question, transfer to a human, instructions in tool output, malformed calls, no function fits, customer sentiment,
    /// escalation rules, conversation tags (topic, outcome, repeated question, confused customer). The last three share one
    /// <see cref="Escalation.ConversationSignals"/> per run through <see cref="SentimentMonitor.Shared"/>.</summary>
    public static IReadOnlyList<IRunMonitor> Standard { get; } =
        [new ClaimResultMonitor(), new RepeatedQuestionMonitor(), new HumanTransferMonitor(), new UntrustedInstructionMonitor(), new MalformedCallMonitor(), new RelevanceMonitor(), SentimentMonitor.Shared,
         new EscalationMonitor(), new ConversationTagMonitor()];

    /// <summary>Every finding so far, in the order found.</summary>
    public IReadOnlyList<Finding> Findings => _all;

    /// <inheritdoc />
    public void Observe(RunEvent runEvent)
    {
        if (runEvent is FindingEvent)
        {
            return;
        }

        foreach (var session in _sessions)
        {
            try
            {
                session.Observe(runEvent, _pending);
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                // A monitor that cannot finish on one message skips that message; monitoring never stops a run.
            }
        }

        Flush(runEvent.Timestamp);
        HandOff(runEvent.Timestamp);
        Pause(runEvent.Timestamp);
    }

    /// <summary>Ends the run for every monitor and appends the last findings.</summary>
    /// <param name="at">End time (run clock).</param>
    public void Complete(DateTimeOffset at)
    {
        foreach (var session in _sessions)
        {
            session.Complete(_pending);
        }

        Flush(at);
    }

    /// <summary>An escalation decided on this event moves an open run to <see cref="RunStatus.HandedOff"/> with its packet (the first
    /// handoff wins; a later one is a finding only).</summary>
    private void HandOff(DateTimeOffset at)
    {
        foreach (var source in _sessions.OfType<IHandoffSource>())
        {
            if (source.TakeHandoff() is { } packet && _run.Handoff is null && _run.Status is RunStatus.Active or RunStatus.AwaitingApproval or RunStatus.Paused)
            {
                _run.Status = RunStatus.HandedOff;
                _run.Handoff = packet;
                _run.Append(new HandoffEvent(packet) { Timestamp = at });
            }
        }
    }

    /// <summary>A pause decided on this event (an escalation rule with <c>action: pause</c>) moves an active run, or one awaiting
    /// approval, to <see cref="RunStatus.Paused"/> with an intervention event naming the rule as its actor; a run already paused,
    /// taken over or handed off stays as it is.</summary>
    private void Pause(DateTimeOffset at)
    {
        foreach (var source in _sessions.OfType<IPauseSource>())
        {
            if (source.TakePause() is { } pause && _run.Status is RunStatus.Active or RunStatus.AwaitingApproval)
            {
                _run.Status = RunStatus.Paused;
                _run.Append(pause with { Timestamp = at });
            }
        }
    }

    private void Flush(DateTimeOffset at)
    {
        foreach (var finding in _pending)
        {
            _run.Append(new FindingEvent(finding) { Timestamp = at });
            _all.Add(finding);
        }

        _pending.Clear();
    }
}
