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

    /// <summary>The standard monitors: claim/result mismatch, repeated user question, transfer to a human, instructions in tool output, malformed calls, no function fits, customer sentiment.</summary>
    public static IReadOnlyList<IRunMonitor> Standard { get; } =
        [new ClaimResultMonitor(), new RepeatedQuestionMonitor(), new HumanTransferMonitor(), new UntrustedInstructionMonitor(), new MalformedCallMonitor(), new RelevanceMonitor(), new SentimentMonitor()];

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
