using Keel.Core.Tests.Gateway;
using Keel.Escalation;
using Keel.Model;
using Keel.Monitors;
using Shouldly;

namespace Keel.Core.Tests.Escalation;

/// <summary>A constructed conversation fed event by event to the standard escalation and tag monitors of an agent with given rules.</summary>
internal sealed class EscalationKit
{
    public const string Topics = """
        topics:
          - name: mms
            phrases: [mms, picture, pictures]
            sensitive: true
          - name: mobile_data
            phrases: [mobile data, data, internet]
        """;

    private readonly RunMonitors _monitors;
    private DateTimeOffset _now = GatewayKit.Clock;

    public EscalationKit(string rules)
    {
        var loaded = EscalationLoader.Parse($"escalation: test\n{Topics}\nrules:\n{rules}", "escalation.yaml");
        loaded.HasErrors.ShouldBeFalse(string.Join("; ", loaded.Diagnostics));
        Agent = GatewayKit.Agent() with { Escalation = loaded.Policy!, Handoff = new HandoffOptions(["transfer_to_human_agents"], "support") };
        _monitors = new RunMonitors(Run, Agent, [new HumanTransferMonitor(), new RepeatedQuestionMonitor(), new EscalationMonitor(), new ConversationTagMonitor()]);
    }

    public Run Run { get; } = new("run-1", "acme", "airline", "1.0.0", GatewayKit.Clock);

    public AgentVersion Agent { get; }

    public IReadOnlyList<Finding> Findings => _monitors.Findings;

    public IReadOnlyList<Finding> Escalations => [.. Findings.Where(f => f.Type == TagTypes.Escalation)];

    public long Customer(string text, TimeSpan? after = null) => Say(MessageRole.User, text, after);

    public long Agent_(string text, TimeSpan? after = null) => Say(MessageRole.Assistant, text, after);

    public long Call(string tool, string arguments, string output, ToolResultStatus status = ToolResultStatus.Ok)
    {
        var call = GatewayKit.Call(tool, arguments);
        Observe(new ToolCallEvent(call));
        return Observe(new ToolResultEvent(new ToolResult(call.Id, status, output), tool));
    }

    public void Complete() => _monitors.Complete(_now);

    public Finding Tag(string type) => Findings.Where(f => f.Type == type).ShouldHaveSingleItem();

    private long Say(MessageRole role, string text, TimeSpan? after)
    {
        _now += after ?? TimeSpan.FromSeconds(30);
        return Observe(new MessageEvent(role, text));
    }

    private long Observe(RunEvent runEvent)
    {
        var stored = Run.Append(runEvent with { Timestamp = _now });
        _monitors.Observe(stored);
        return stored.Sequence;
    }
}
