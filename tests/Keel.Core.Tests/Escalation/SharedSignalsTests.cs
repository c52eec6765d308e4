using Keel.Core.Tests.Gateway;
using Keel.Escalation;
using Keel.Model;
using Keel.Monitors;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Escalation;

/// <summary>One <see cref="ConversationSignals"/> per run, shared by the sentiment, escalation and tag monitors; the activation's maps
/// cached per signal version; the tag monitor's set of call ids.</summary>
public sealed class SharedSignalsTests
{
    private static readonly AgentVersion Agent = GatewayKit.Agent();

    [Fact]
    public void Signals_ThreeMonitorsOverOneSentimentMonitor_ComputeEachEventOnce()
    {
        var sentiment = new SentimentMonitor();
        var run = NewRun();
        var monitors = new RunMonitors(run, Agent, [sentiment, new EscalationMonitor(sentiment), new ConversationTagMonitor(sentiment)]);

        Observe(run, monitors, new MessageEvent(MessageRole.User, "Hi, my internet is down."));
        Observe(run, monitors, new MessageEvent(MessageRole.Assistant, "Sorry to hear that."));
        Observe(run, monitors, new MessageEvent(MessageRole.User, "This is terrible."));

        var signals = sentiment.Signals(run, Agent);
        signals.Version.ShouldBe(3);
        signals.Customer.Count.ShouldBe(2);
        signals.Customer[1].Compound.ShouldBe(sentiment.Compound("This is terrible."), 1e-12);
    }

    [Fact]
    public void Signals_TwoSentimentMonitors_KeepSeparateSets()
    {
        var run = NewRun();
        var first = new SentimentMonitor();
        var second = new SentimentMonitor();

        first.Signals(run, Agent).ShouldBeSameAs(first.Signals(run, Agent));
        first.Signals(run, Agent).ShouldNotBeSameAs(second.Signals(run, Agent));
        first.Signals(run, Agent).ShouldNotBeSameAs(first.Signals(NewRun(), Agent));
    }

    [Fact]
    public void Observe_SameEventTwice_CountsItOnce()
    {
        var signals = new ConversationSignals(Agent, new SentimentMonitor(), Agent.Escalation.Topics);
        var message = NewRun().Append(new MessageEvent(MessageRole.User, "I don't understand what you mean.") { Timestamp = GatewayKit.Clock });

        signals.Observe(message);
        signals.Observe(message);

        signals.Version.ShouldBe(1);
        signals.Customer.ShouldHaveSingleItem();
        signals.Confused.ShouldHaveSingleItem();
    }

    [Fact]
    public void TryGetVariable_SignalsUnchanged_ReturnsTheCachedMap()
    {
        var run = NewRun();
        var signals = new ConversationSignals(Agent, new SentimentMonitor(), Agent.Escalation.Topics);
        var activation = new EscalationActivation(signals);
        signals.Observe(run.Append(new MessageEvent(MessageRole.User, "I am very unhappy.") { Timestamp = GatewayKit.Clock }));

        activation.TryGetVariable("sentiment", out var first).ShouldBeTrue();
        activation.TryGetVariable("sentiment", out var again).ShouldBeTrue();
        again.ShouldBeSameAs(first);

        signals.Observe(run.Append(new MessageEvent(MessageRole.User, "Thank you, that is great!") { Timestamp = GatewayKit.Clock }));
        activation.TryGetVariable("sentiment", out var after).ShouldBeTrue();
        after.ShouldNotBeSameAs(first);
        ((IReadOnlyDictionary<string, object?>)after!)["compound"].ShouldBeOfType<double>().ShouldBeGreaterThan(0.05);
        ((IReadOnlyDictionary<string, object?>)first!)["compound"].ShouldBeOfType<double>().ShouldBeLessThan(-0.05);
    }

    [Fact]
    public void TryGetVariable_EscalationCounted_RebuildsHistory()
    {
        var signals = new ConversationSignals(Agent, new SentimentMonitor(), Agent.Escalation.Topics);
        var activation = new EscalationActivation(signals);
        activation.TryGetVariable("history", out var before).ShouldBeTrue();

        signals.CountEscalation();

        activation.TryGetVariable("history", out var after).ShouldBeTrue();
        ((IReadOnlyDictionary<string, object?>)before!)["prior_escalations"].ShouldBe(0L);
        ((IReadOnlyDictionary<string, object?>)after!)["prior_escalations"].ShouldBe(1L);
    }

    [Fact]
    public void Complete_CallOnTheRunBeforeTheSessionStartedAndItsResultFailed_TagsOutcomeFailed()
    {
        // A live run loaded from the store: its call is already on the run, its result arrives after the monitors attach.
        var run = NewRun();
        var call = GatewayKit.Call("get_reservation_details", """{"reservation_id":"ABC123"}""");
        run.Append(new MessageEvent(MessageRole.User, "Please look up my booking.") { Timestamp = GatewayKit.Clock });
        run.Append(new ToolCallEvent(call) { Timestamp = GatewayKit.Clock });
        var monitors = new RunMonitors(run, Agent, [new ConversationTagMonitor(new SentimentMonitor())]);

        var failed = Observe(run, monitors, new ToolResultEvent(new ToolResult(call.Id, ToolResultStatus.Error, "not found"), call.ToolName));
        monitors.Complete(GatewayKit.Clock);

        monitors.Findings.Where(f => f.Type == TagTypes.OutcomeFailed).ShouldHaveSingleItem().EventSequences.ShouldBe([failed]);
    }

    [Fact]
    public void Complete_FailedResultOfNoProposedCall_IsNotTheAgentsFailure()
    {
        // A customer-side result (tau2's user tools) answers no call of the agent's.
        var run = NewRun();
        var monitors = new RunMonitors(run, Agent, [new ConversationTagMonitor(new SentimentMonitor())]);
        Observe(run, monitors, new MessageEvent(MessageRole.User, "I restarted my phone.") { Timestamp = GatewayKit.Clock });
        Observe(run, monitors, new ToolResultEvent(new ToolResult("user_call_1", ToolResultStatus.Error, "airplane mode on"), "toggle_airplane_mode"));
        monitors.Complete(GatewayKit.Clock);

        monitors.Findings.ShouldNotContain(f => f.Type == TagTypes.OutcomeFailed);
    }

    private static Run NewRun() => new("run-1", "acme", "airline", "1.0.0", GatewayKit.Clock);

    private static long Observe(Run run, RunMonitors monitors, RunEvent runEvent)
    {
        var stored = run.Append(runEvent with { Timestamp = GatewayKit.Clock });
        monitors.Observe(stored);
        return stored.Sequence;
    }
}
