using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Importers;

public sealed class Tau2UsageTests
{
    [Fact]
    public async Task ReadAsync_AssistantTurnWithUsage_CarriesTokensAndCostOnItsFirstStep()
    {
        var (runs, _) = await ImporterFixtures.ReadAsync(new Tau2BenchImporter(), Keel.Core.Tests.Bundles.RepoPaths.Sample("runs", "tau2-bench", "gpt-4.1_airline_default_gpt-4.1_1trials.json"));

        var run = runs[0];
        var withUsage = run.Steps.Where(s => s.Usage is not null).ToList();
        withUsage.ShouldNotBeEmpty();
        withUsage.ShouldAllBe(s => s.Usage!.Tokens > 0);
        // Only agent turns: a customer message never carries usage.
        withUsage.ShouldAllBe(s => !(s is RecordedMessage && ((RecordedMessage)s).Role == MessageRole.User));
    }

    [Fact]
    public async Task Replay_TokenBudgetBelowRecordedUsage_DeniesLaterCallsAsBudget()
    {
        var (runs, _) = await ImporterFixtures.ReadAsync(new Tau2BenchImporter(), Keel.Core.Tests.Bundles.RepoPaths.Sample("runs", "tau2-bench", "gpt-4.1_airline_default_gpt-4.1_1trials.json"));
        var run = runs.First(r => r.Steps.OfType<RecordedToolCall>().Count() >= 2);
        var agent = Keel.Bundles.AgentBundleLoader.Load(Keel.Core.Tests.Bundles.RepoPaths.Sample("tau2-airline")) with { Budgets = new BudgetLimits(MaxTokens: 1) };

        var replayed = await new ReplayEngine(agent).ReplayAsync(run, TestContext.Current.CancellationToken);

        replayed.Calls.ShouldContain(c => c.Decision.RuleId == "budget.tokens");
        replayed.Run.Failures.ShouldContain(f => f.Class == FailureClass.Budget);
    }
}
