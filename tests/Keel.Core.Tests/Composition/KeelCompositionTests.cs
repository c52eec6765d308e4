using Keel.Composition;
using Keel.Core.Tests.Bundles;
using Keel.Core.Tests.Replay;
using Keel.Failures;
using Keel.Gateway;
using Keel.Importers;
using Keel.Model;
using Keel.Monitors;
using Keel.Policies;
using Keel.Core.Tests.Policies;
using Keel.Replay;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Composition;

public sealed class KeelCompositionTests
{
    private static KeelComponents Compose(Action<KeelBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        var keel = services.AddKeel();
        configure?.Invoke(keel);
        return services.BuildServiceProvider().GetRequiredService<KeelComponents>();
    }

    [Fact]
    public void AddKeel_NothingAdded_RegistersKeelsImportersAndStandardMonitors()
    {
        var components = Compose();

        components.Importers.Formats.ShouldBe(RunImporters.Default.Formats);
        components.Monitors.Select(m => m.Name).ShouldBe(RunMonitors.Standard.Select(m => m.Name));
        components.Policies.ShouldBeEmpty();
        components.Stages.ShouldBeEmpty();
    }

    [Fact]
    public void AddKeel_CalledTwiceAndTypesAddedTwice_RegistersEachOnce()
    {
        var services = new ServiceCollection();
        services.AddKeel().AddMonitor<CountingMonitor>().AddStage<DenyToolStage>();
        services.AddKeel().AddMonitor<CountingMonitor>().AddStage<DenyToolStage>();
        var components = services.BuildServiceProvider().GetRequiredService<KeelComponents>();

        components.Monitors.Count.ShouldBe(RunMonitors.Standard.Count + 1);
        components.Monitors[^1].ShouldBeOfType<CountingMonitor>();
        components.Stages.Count.ShouldBe(1);
        components.Importers.Importers.Count.ShouldBe(RunImporters.Default.Importers.Count);
    }

    [Fact]
    public void AddKeel_RegisteredClock_IsTheComponentsClock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddKeel();

        services.BuildServiceProvider().GetRequiredService<KeelComponents>().TimeProvider.ShouldBeSameAs(clock);
    }

    [Fact]
    public void Resolve_TwoPoliciesWithOneName_ThrowsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddKeel().AddPolicy(new FixedPolicy("FraudScore", PolicyVerdict.Pass)).AddPolicy(new FixedPolicy("FraudScore", PolicyVerdict.Fail("x")));

        var error = Should.Throw<ArgumentException>(() => services.BuildServiceProvider().GetRequiredService<KeelComponents>());

        error.Message.ShouldContain("'FraudScore'");
    }

    [Fact]
    public void AddPolicy_TwoInstancesOfOneClass_KeepsBothByName()
    {
        var components = Compose(k => k.AddPolicy(new FixedPolicy("FraudScore", PolicyVerdict.Pass)).AddPolicy(new FixedPolicy("VelocityCheck", PolicyVerdict.Pass)));

        components.Policies.Keys.Order(StringComparer.Ordinal).ShouldBe(["FraudScore", "VelocityCheck"]);
    }

    [Fact]
    public void BuildPipeline_ExtraStage_RunsAfterPolicyAndBeforeBudget()
    {
        var components = Compose(k => k.AddStage<DenyToolStage>());

        var names = components.BuildPipeline(ExecuteStage.Recorded, "default").Stages.Select(s => s.Name).ToList();

        names.ShouldBe(["telemetry", "record", "scope", "schema", "policy", DenyToolStage.StageName, "budget", "loop_guard", "approval_gate", "plan_gate", "result_check", "execute"]);
    }

    [Fact]
    public void LoadBundle_CustomRuleNamingAnAddedPolicy_LoadsAndWithoutIt_FailsNamingTheType()
    {
        var folder = BundleWithCustomRule();
        var components = Compose(k => k.AddPolicy(new FixedPolicy("AlwaysRefuse", PolicyVerdict.Fail("refused by the plugin"))));

        components.LoadBundle(folder).Policies.Rules.ShouldContain(r => r.Id == "refund.custom");
        Should.Throw<Keel.Bundles.BundleLoadException>(() => KeelComponents.Standard.LoadBundle(folder)).Message.ShouldContain("AlwaysRefuse");
    }

    [Fact]
    public async Task ReplayEngine_WithComponents_RunsTheExtraStageAndMonitorOnRecordedRuns()
    {
        var recorded = await AirlineSample.RunAsync("tau-airline-t41-r0");
        var tool = recorded.Steps.OfType<RecordedToolCall>().First().Call.ToolName;
        var components = Compose(k => k.AddStage(new DenyToolStage(tool)).AddMonitor<CountingMonitor>());

        var replayed = await new ReplayEngine(AirlineSample.Agent, components: components).ReplayAsync(recorded, TestContext.Current.CancellationToken);
        var standard = await new ReplayEngine(AirlineSample.Agent).ReplayAsync(recorded, TestContext.Current.CancellationToken);

        replayed.Findings.ShouldContain(f => f.Type == CountingMonitor.FindingType && f.Message == $"{replayed.Calls.Count} tool calls");
        standard.Findings.ShouldNotContain(f => f.Type == CountingMonitor.FindingType);
        var denied = replayed.Calls.Where(c => c.Call.ToolName == tool).ToList();
        denied.ShouldNotBeEmpty();
        denied.ShouldAllBe(c => c.Decision.Kind == DecisionKind.Deny && c.Decision.Stage == DenyToolStage.StageName);
        standard.Calls.Where(c => c.Call.ToolName == tool).ShouldAllBe(c => c.Decision.Stage != DenyToolStage.StageName);
        replayed.Calls.Where(c => c.Call.ToolName != tool).Select(c => c.Decision).ShouldBe(standard.Calls.Where(c => c.Call.ToolName != tool).Select(c => c.Decision));
    }

    private static string BundleWithCustomRule()
    {
        var folder = Directory.CreateTempSubdirectory("keel-custom-bundle-").FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.TestBundle("minimal")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.AppendAllText(Path.Combine(folder, "policies.yaml"),
            "  - id: refund.custom\n    kind: custom\n    type: AlwaysRefuse\n    tools: [refund_order]\n    reason: \"the plugin refuses refunds\"\n    cite: \"Refunds above 500 dollars need a supervisor.\"\n");
        return folder;
    }

    /// <summary>Counts the tool calls of a run and reports the count as one finding when the run ends.</summary>
    private sealed class CountingMonitor : IRunMonitor
    {
        public const string FindingType = "test_tool_call_count";

        public string Name => "test_counting";

        public IMonitorSession Start(Run run, AgentVersion agent) => new Session();

        private sealed class Session : IMonitorSession
        {
            private int _calls;

            public void Observe(RunEvent runEvent, ICollection<Finding> findings)
            {
                if (runEvent is ToolCallEvent)
                {
                    _calls++;
                }
            }

            public void Complete(ICollection<Finding> findings) =>
                findings.Add(new Finding(FindingType, FindingSeverity.Info, $"{_calls} tool calls", [], "test_counting"));
        }
    }

    /// <summary>Denies every call of one tool.</summary>
    private sealed class DenyToolStage(string tool) : IToolCallStage
    {
        public const string StageName = "test_deny_tool";

        public DenyToolStage()
            : this("cancel_reservation")
        {
        }

        public string Name => StageName;

        public ValueTask<ToolCallOutcome> InvokeAsync(ToolCallContext context, ToolCallHandler next, CancellationToken cancellationToken)
        {
            if (context.Call.ToolName != tool)
            {
                return next(context, cancellationToken);
            }

            var decision = new Decision(DecisionKind.Deny, Name, "test.deny_tool", null, $"'{tool}' is refused by the test stage");
            return ValueTask.FromResult(ToolCallOutcome.Stopped(context, decision, FailureClassifier.Stopped(decision, FailureClass.Policy, context.Call, context.Agent.Handoff.Team)));
        }
    }
}
