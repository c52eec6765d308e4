using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Importers.ImporterFixtures;

namespace Keel.Core.Tests.Importers;

public sealed class Tau2BenchImporterTests
{
    private static readonly string _airline = ImporterFixtures.Path("tau2-bench", "gpt-4.1_airline.json");
    private static readonly string[] _airlineIds =
        ["737d18e9-23d1-4db1-93cf-63ed6b0d2461", "09cc350d-f5d3-41b0-a107-003a301b212f", "be3a916e-9307-4e52-a09d-82345cc5d1b9"];

    private readonly Tau2BenchImporter _importer = new();

    [Fact]
    public async Task ReadAsync_RealSimulations_ReadsIdsDomainModelAndPolicyClock()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, _airline);

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Select(r => r.Id).ShouldBe(_airlineIds);
        runs.Select(r => r.Source.Index).ShouldBe([0, 1, 2]);
        runs.ShouldAllBe(r => r.Domain == "airline" && r.AgentModel == "gpt-4.1" && r.StartedAt == AirlineClock && r.Source.File == _airline);
    }

    [Fact]
    public async Task ReadAsync_RealSimulations_KeepsOrderTimestampsAndCompactArguments()
    {
        var (runs, _) = await ReadAsync(_importer, _airline);

        runs.Select(Shape).ShouldBe(["AUAUTAUTTAUTTAUTAU", "AUAUTTAUAUTTAUAUTAUTAU", "AUAUTAUTTTAUTAUAUAU"]);
        var first = runs[0];
        ((RecordedMessage)first.Steps[0]).ShouldBe(new RecordedMessage(MessageRole.Assistant, "Hi! How can I help you today?", Utc(2025, 8, 1, 16, 20, 44, 336633)));
        var calls = ToolCalls(first);
        calls.Select(c => c.Call.ToolName).ShouldBe(
            ["get_user_details", "get_reservation_details", "get_reservation_details", "search_direct_flight", "search_onestop_flight", "update_reservation_flights"]);
        calls[0].Call.ArgumentsJson.ShouldBe("""{"user_id":"aarav_garcia_1177"}""");
        calls[3].Call.ArgumentsJson.ShouldBe("""{"origin":"ATL","destination":"PHL","date":"2024-05-24"}""");
        calls[1].Timestamp.ShouldBe(Utc(2025, 8, 1, 16, 20, 52, 550146));
        calls.ShouldAllBe(c => c.Requestor == "assistant" && c.Result != null && c.Result.Status == ToolResultStatus.Ok);
    }

    [Fact]
    public async Task ReadAsync_ParallelCalls_SetsTurnFlagsAndMatchesResultsById()
    {
        var (runs, _) = await ReadAsync(_importer, _airline);

        var pair = ToolCalls(runs[0])[1..3];
        pair.Select(c => (c.Call.ParallelIndex, c.Call.ParallelCount, c.Call.TurnHasText)).ShouldBe([(0, 2, false), (1, 2, false)]);
        pair[0].Result!.Output.ShouldStartWith("""{"reservation_id": "M05KNL""");
        pair[1].Result!.Output.ShouldStartWith("""{"reservation_id": "UHDAHF""");
        var triple = ToolCalls(runs[2])[1..4];
        triple.Select(c => c.Call.ParallelIndex).ShouldBe([0, 1, 2]);
        triple.ShouldAllBe(c => c.Call.ParallelCount == 3);
        ToolCalls(runs[2])[0].Call.ParallelCount.ShouldBe(1);
    }

    [Fact]
    public async Task ReadAsync_ErrorFlag_MarksToolResultError()
    {
        var (runs, _) = await ReadAsync(_importer, _airline);

        var bookings = ToolCalls(runs[1]).Where(c => c.Call.ToolName == "book_reservation").ToArray();
        bookings.Select(c => c.Result!.Status).ShouldBe([ToolResultStatus.Error, ToolResultStatus.Ok]);
        bookings[0].Result!.Output.ShouldStartWith("Error: Payment amount does not add up");
    }

    [Fact]
    public async Task ReadAsync_ErrorFlagDisagreesWithContent_TrustsTheFlag()
    {
        var (runs, _) = await ReadAsync(_importer, ImporterFixtures.Path("tau2-edge", "error-flag.json"));

        ToolCalls(runs.ShouldHaveSingleItem()).Select(c => c.Result!.Status).ShouldBe(
            [ToolResultStatus.Ok, ToolResultStatus.Error, ToolResultStatus.Ok, ToolResultStatus.Ok]);
    }

    [Fact]
    public async Task ReadAsync_RealSimulations_ReadsLabelsFromTheMatchingTask()
    {
        var (runs, _) = await ReadAsync(_importer, _airline);

        runs.Select(r => r.Labels.Reward).ShouldBe([1.0, 0.0, 1.0]);
        runs.Select(r => r.Labels.TaskId).ShouldBe(["16", "25", "31"]);
        runs.ShouldAllBe(r => r.Labels.TerminationReason == "user_stop");
        var update = runs[0].Labels.ExpectedActions.ShouldHaveSingleItem();
        (update.ToolName, update.Requestor).ShouldBe(("update_reservation_flights", "assistant"));
        update.Arguments.GetProperty("reservation_id").GetString().ShouldBe("M05KNL");
        runs[1].Labels.ExpectedActions.ShouldHaveSingleItem().ToolName.ShouldBe("book_reservation");
        runs[2].Labels.ExpectedActions.ShouldNotBeNull().ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadAsync_Telecom_KeepsCustomerToolCallsWithUserRequestor()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, ImporterFixtures.Path("tau2-bench", "gpt-4.1_telecom.json"));

        diagnostics.SkippedCount.ShouldBe(0);
        var run = runs.ShouldHaveSingleItem();
        run.Id.ShouldBe("694314c0-de74-4240-a614-d7c12cb335b3");
        run.Domain.ShouldBe("telecom");
        run.StartedAt.ShouldBe(new DateTimeOffset(2025, 2, 25, 12, 8, 0, TimeSpan.FromHours(-5)));
        Shape(run).ShouldBe("AUAUTTTATUATUAU");
        var calls = ToolCalls(run);
        calls.Select(c => (c.Call.ToolName, c.Requestor)).ShouldBe(
        [
            ("get_customer_by_phone", "assistant"), ("get_details_by_id", "assistant"), ("get_details_by_id", "assistant"),
            ("check_status_bar", "user"), ("check_sim_status", "user"),
        ]);
        calls[3].Call.ArgumentsJson.ShouldBe("{}");
        calls[3].Result!.Output.ShouldBe("Status Bar: 📵 No Signal | 📵 Data Disabled | 🔋 80%");
        run.Labels.ShouldSatisfyAllConditions(
            l => l.Reward.ShouldBe(0.0),
            l => l.TaskId.ShouldBe("[service_issue]break_apn_settings|lock_sim_card_pin[PERSONA:None]"),
            l => l.ExpectedActions.ShouldHaveSingleItem().ToolName.ShouldBe("transfer_to_human_agents"));
    }

    [Fact]
    public async Task ReadAsync_PolicyWithoutTime_UsesFirstMessageTimestampAsUtc()
    {
        var (runs, _) = await ReadAsync(_importer, ImporterFixtures.Path("tau2-bench", "gpt-4.1_retail.json"));

        var run = runs.ShouldHaveSingleItem();
        run.StartedAt.ShouldBe(Utc(2025, 8, 1, 16, 17, 51, 297691));
        run.StartedAt.Offset.ShouldBe(TimeSpan.Zero);
        Shape(run).ShouldBe("AUAUAUTAUTTTAU");
        ToolCalls(run)[0].Result!.Status.ShouldBe(ToolResultStatus.Error);
        run.Labels.ExpectedActions.ShouldNotBeNull().Count.ShouldBe(4);
    }

    [Fact]
    public async Task ReadAsync_ToolOrchestraWithoutFlagsOrTimestamps_UsesErrorPrefixAndDefaultClock()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, ImporterFixtures.Path("tau2-bench", "toolorchestra_retail.json"));

        diagnostics.SkippedCount.ShouldBe(0);
        var run = runs.ShouldHaveSingleItem();
        run.AgentModel.ShouldBe("gpt-4.1-mini-2025-04-14");
        run.StartedAt.ShouldBe(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Shape(run).ShouldBe("AUAUTAUTTTAU");
        ToolCalls(run).Select(c => c.Result!.Status).ShouldBe([ToolResultStatus.Error, ToolResultStatus.Ok, ToolResultStatus.Ok, ToolResultStatus.Ok]);
        run.Steps.ShouldAllBe(s => (s is RecordedMessage ? ((RecordedMessage)s).Timestamp : ((RecordedToolCall)s).Timestamp) == null);
        Messages(run)[2].Content.ShouldStartWith("""{"message":""");
    }

    [Theory]
    [InlineData("wrong-type.json", "$.simulations[1].messages[4].tool_calls[0].arguments", "expected an object, found a string")]
    [InlineData("missing-role.json", "$.simulations[1].messages[2].role", "expected a string (user, assistant or tool), found nothing (the property is missing)")]
    [InlineData("broken-task.json", "$.tasks[1].evaluation_criteria.actions[0].name", "the run's task '25' is malformed: expected a string, found nothing")]
    public async Task ReadAsync_BrokenMiddleSimulation_SkipsItWithPathAndKeepsTheOthers(string file, string jsonPath, string message)
    {
        var path = ImporterFixtures.Path("tau2-edge", file);

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        runs.Select(r => r.Id).ShouldBe([_airlineIds[0], _airlineIds[2]]);
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        (skipped.File, skipped.RecordIndex, skipped.JsonPath).ShouldBe((path, 1, jsonPath));
        skipped.Message.ShouldContain(message);
    }

    [Fact]
    public async Task ReadAsync_TruncatedFile_KeepsRunsBeforeAndReportsPosition()
    {
        var path = ImporterFixtures.Path("tau2-edge", "truncated.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        runs.Select(r => r.Id).ShouldBe(_airlineIds[..2]);
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        (skipped.File, skipped.RecordIndex, skipped.JsonPath).ShouldBe((path, 2, "$.simulations[2]"));
        skipped.Message.ShouldContain("LineNumber:");
    }

    [Fact]
    public async Task ReadAsync_SimulationsBeforeInfoAndTasks_StillGetClockAndLabels()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, ImporterFixtures.Path("tau2-edge", "reordered.json"));

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Select(r => r.Id).ShouldBe(_airlineIds);
        runs.ShouldAllBe(r => r.StartedAt == AirlineClock && r.Domain == "airline");
        runs[0].Labels.ExpectedActions.ShouldHaveSingleItem().ToolName.ShouldBe("update_reservation_flights");
    }

    [Fact]
    public async Task ReadAsync_FileBreaksAfterHeldSimulations_ImportsThemWithWhatWasRead()
    {
        var path = ImporterFixtures.Path("tau2-edge", "reordered-truncated.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        runs.Select(r => r.Id).ShouldBe(_airlineIds);
        runs[0].Labels.ExpectedActions.ShouldHaveSingleItem().ToolName.ShouldBe("update_reservation_flights");
        runs[1].Labels.ExpectedActions.ShouldBeNull();
        runs[0].Domain.ShouldBeNull();
        runs[0].StartedAt.ShouldBe(Utc(2025, 8, 1, 16, 20, 44, 336633));
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        (skipped.RecordIndex, skipped.JsonPath).ShouldBe((-1, "$.tasks[1]"));
    }

    [Fact]
    public async Task ReadAsync_NoRewardInfoAndUnknownTask_LeavesLabelsNull()
    {
        var (runs, _) = await ReadAsync(_importer, ImporterFixtures.Path("tau2-edge", "unlabelled.json"));

        var labels = runs.ShouldHaveSingleItem().Labels;
        labels.ShouldBe(new RunLabels(null, null, "user_stop", "no-such-task"));
    }

    [Fact]
    public async Task ReadAsync_TauBenchFile_ReportsThatAnObjectWasExpected()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, ImporterFixtures.Path("tau-bench", "gpt-4o-airline.json"));

        runs.ShouldBeEmpty();
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        (skipped.RecordIndex, skipped.JsonPath).ShouldBe((-1, "$"));
        skipped.Message.ShouldStartWith("expected a JSON object with info, tasks and simulations, found an array");
    }

    [Theory]
    [InlineData("tau2-bench/gpt-4.1_airline.json", true)]
    [InlineData("tau2-bench/toolorchestra_retail.json", true)]
    [InlineData("tau-bench/gpt-4o-airline.json", false)]
    [InlineData("unknown/not-json.json", false)]
    public void CanRead_FileHead_RecognisesTau2BenchOnly(string file, bool expected) =>
        _importer.CanRead(file, Head(file)).ShouldBe(expected);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second, int microseconds) =>
        new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(microseconds * 10L);
}
