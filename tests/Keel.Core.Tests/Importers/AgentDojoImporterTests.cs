using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Importers;

public sealed class AgentDojoImporterTests
{
    private readonly AgentDojoImporter _importer = new();

    [Fact]
    public void CanRead_AgentDojoLine_IsRecognisedAndTauIsNot()
    {
        _importer.CanRead("runs.jsonl", ImporterFixtures.Head("agentdojo/runs.jsonl")).ShouldBeTrue();
        _importer.CanRead("x.json", ImporterFixtures.Head("tau-bench/gpt-4o-airline.json")).ShouldBeFalse();
        RunImporters.Default.Find(ImporterFixtures.Path("agentdojo", "runs.jsonl")).Format.ShouldBe("agentdojo");
    }

    [Fact]
    public async Task ReadAsync_AttackedRun_CarriesLabelsStepsAndResults()
    {
        var (runs, diagnostics) = await ImporterFixtures.ReadAsync(_importer, ImporterFixtures.Path("agentdojo", "runs.jsonl"));

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Count.ShouldBe(5);
        var run = runs.Single(r => r.Id == "agentdojo-gpt-4o-2024-05-13-banking-user_task_1-important_instructions-injection_task_0");
        run.Domain.ShouldBe("banking");
        run.AgentModel.ShouldBe("gpt-4o-2024-05-13");
        var attack = run.Labels.Attack.ShouldNotBeNull();
        (attack.IsAttacked, attack.AttackType, attack.InjectionTaskId, attack.AttackSucceeded).ShouldBe((true, "important_instructions", "injection_task_0", true));
        attack.Injections.Keys.ShouldContain("injection_incoming_transaction");
        run.Steps.OfType<RecordedMessage>().First().Role.ShouldBe(MessageRole.System);
        var call = run.Steps.OfType<RecordedToolCall>().First(c => c.Call.ToolName == "send_money");
        call.Call.ArgumentsJson.ShouldContain("US133000000121212121212");
        call.Result.ShouldNotBeNull().IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task ReadAsync_UnattackedRun_HasNoAttackOutcome()
    {
        var (runs, _) = await ImporterFixtures.ReadAsync(_importer, ImporterFixtures.Path("agentdojo", "runs.jsonl"));

        var attack = runs.Single(r => r.Id.EndsWith("banking-user_task_4-none-none", StringComparison.Ordinal)).Labels.Attack.ShouldNotBeNull();

        (attack.IsAttacked, attack.AttackSucceeded, attack.Injections.Count).ShouldBe((false, null, 0));
    }

    [Fact]
    public async Task ReadAsync_BrokenLines_AreSkippedWithLineAndPathAndTheRestRead()
    {
        var (runs, diagnostics) = await ImporterFixtures.ReadAsync(_importer, ImporterFixtures.Path("agentdojo", "broken.jsonl"));

        runs.Count.ShouldBe(2);
        var skipped = diagnostics.Skipped.OrderBy(s => s.RecordIndex).ToList();
        skipped.Select(s => s.RecordIndex).ShouldBe([1, 3, 4]);
        skipped[0].Message.ShouldContain("line 2 is not valid JSON");
        skipped[1].JsonPath.ShouldBe("$.user_task_id");
        skipped[2].JsonPath.ShouldBe("$.messages[0].tool_call_id");
    }
}
