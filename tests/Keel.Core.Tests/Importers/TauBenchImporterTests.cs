using System.Text;
using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Importers.ImporterFixtures;

namespace Keel.Core.Tests.Importers;

public sealed class TauBenchImporterTests
{
    private static readonly string _good = ImporterFixtures.Path("tau-bench", "gpt-4o-airline.json");
    private readonly TauBenchImporter _importer = new();

    [Fact]
    public async Task ReadAsync_RealRecords_ReadsEveryRunWithIdsDomainModelAndClock()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, _good);

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Select(r => r.Id).ShouldBe(["tau-airline-t0-r1", "tau-airline-t37-r3", "tau-airline-t48-r1"]);
        runs.Select(r => r.Source).ShouldBe([new RecordSource(_good, 0), new RecordSource(_good, 1), new RecordSource(_good, 2)]);
        runs.ShouldAllBe(r => r.Domain == "airline" && r.AgentModel == "gpt-4o" && r.StartedAt == AirlineClock);
        runs.ShouldAllBe(r => r.StartedAt.Offset == TimeSpan.FromHours(-5));
    }

    [Fact]
    public async Task ReadAsync_RealRecords_KeepsMessageAndToolCallOrder()
    {
        var (runs, _) = await ReadAsync(_importer, _good);

        runs.Select(Shape).ShouldBe(["SUAUAUATAUTAUTTTTAUAU", "SUAUAUAT", "SUAUTAUT"]);
        var first = runs[0];
        ((RecordedMessage)first.Steps[0]).Content.ShouldStartWith("# Airline Agent Policy");
        ((RecordedMessage)first.Steps[1]).Content.ShouldBe("I want to book a one-way flight from New York to Seattle.");
        ToolCalls(first).Select(c => c.Call.ToolName).ShouldBe(
            ["search_direct_flight", "search_onestop_flight", "get_user_details", "book_reservation", "think", "book_reservation"]);
        ToolCalls(first)[0].Call.ArgumentsJson.ShouldBe("""{"origin":"JFK","destination":"SEA","date":"2024-05-20"}""");
        ToolCalls(first)[0].Call.Id.ShouldBe("call_12ZKvycpF90C5LBULDtq0YVV");
        ToolCalls(first).ShouldAllBe(c => c.Requestor == "assistant" && c.Timestamp == null);
        Messages(first)[^1].Content.ShouldBe("###STOP###");
    }

    [Fact]
    public async Task ReadAsync_ToolResults_MatchCallsByIdAndMarkErrorPrefix()
    {
        var (runs, _) = await ReadAsync(_importer, _good);

        var calls = ToolCalls(runs[0]);
        calls.Select(c => c.Result!.Status).ShouldBe(
            [ToolResultStatus.Ok, ToolResultStatus.Ok, ToolResultStatus.Ok, ToolResultStatus.Error, ToolResultStatus.Ok, ToolResultStatus.Ok]);
        calls[3].Result!.Output.ShouldStartWith("Error: payment amount does not add up, total price is 305");
        calls[3].Result!.CallId.ShouldBe(calls[3].Call.Id);
        calls[4].Result!.Output.ShouldBe(string.Empty);
        calls[5].Result!.Output.ShouldStartWith("""{"reservation_id": "HATHAT", "user_id": "mia_li_3668""");
    }

    [Fact]
    public async Task ReadAsync_TurnFlags_ReflectTheAssistantMessage()
    {
        var (runs, _) = await ReadAsync(_importer, _good);

        // run 0, traj[6]: text and one call; traj[10]: "" and one call; run 1, traj[6]: text and a transfer.
        ToolCalls(runs[0])[0].Call.ShouldSatisfyAllConditions(c => c.TurnHasText.ShouldBeTrue(), c => c.ParallelCount.ShouldBe(1), c => c.ParallelIndex.ShouldBe(0));
        ToolCalls(runs[0])[1].Call.TurnHasText.ShouldBeFalse();
        ToolCalls(runs[1])[0].Call.ToolName.ShouldBe("transfer_to_human_agents");
        ToolCalls(runs[1])[0].Call.TurnHasText.ShouldBeTrue();
        ((RecordedMessage)runs[1].Steps[^2]).Content.ShouldStartWith("I can transfer you to a human agent");
    }

    [Fact]
    public async Task ReadAsync_SeveralToolCallsInOneMessage_MarksThemParallel()
    {
        var path = ImporterFixtures.Path("tau-bench-edge", "parallel.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        diagnostics.SkippedCount.ShouldBe(0);
        Shape(runs.ShouldHaveSingleItem()).ShouldBe("SUAUAUATAUTAUATTTTAUAU");
        var calls = ToolCalls(runs[0]);
        calls[2].Call.ShouldBe(calls[2].Call with { ToolName = "get_user_details", ParallelIndex = 0, ParallelCount = 2, TurnHasText = true });
        calls[3].Call.ShouldBe(calls[3].Call with { ToolName = "book_reservation", ParallelIndex = 1, ParallelCount = 2, TurnHasText = true });
        calls[2].Result!.Status.ShouldBe(ToolResultStatus.Ok);
        calls[3].Result!.Status.ShouldBe(ToolResultStatus.Error);
    }

    [Fact]
    public async Task ReadAsync_RealRecords_ReadsLabels()
    {
        var (runs, _) = await ReadAsync(_importer, _good);

        runs.Select(r => r.Labels.Reward).ShouldBe([0.0, 1.0, 1.0]);
        runs.Select(r => r.Labels.TaskId).ShouldBe(["0", "37", "48"]);
        runs.ShouldAllBe(r => r.Labels.TerminationReason == null);
        var booking = runs[0].Labels.ExpectedActions.ShouldHaveSingleItem();
        booking.ToolName.ShouldBe("book_reservation");
        booking.Requestor.ShouldBe("assistant");
        booking.Arguments.GetProperty("user_id").GetString().ShouldBe("mia_li_3668");
        booking.Arguments.GetProperty("flights").GetArrayLength().ShouldBe(2);
        var lookup = runs[2].Labels.ExpectedActions.ShouldHaveSingleItem();
        lookup.ToolName.ShouldBe("get_reservation_details");
        lookup.Arguments.GetProperty("reservation_id").GetString().ShouldBe("EUJUY6");
    }

    [Fact]
    public async Task ReadAsync_ArgumentsNotValidJson_KeepsRunAndRawArguments()
    {
        var path = ImporterFixtures.Path("tau-bench-edge", "bad-arguments.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        diagnostics.SkippedCount.ShouldBe(0);
        runs.Count.ShouldBe(3);
        var call = ToolCalls(runs[2])[0].Call;
        call.ArgumentsJson.ShouldBe("{\"reservation_id\": \"EUJUY6\"");
        call.TryParseArguments(out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNull().ShouldStartWith("arguments are not valid JSON");
    }

    [Theory]
    [InlineData("wrong-type.json", "$[1].traj[6].tool_calls[0].function.name", "expected a string, found the number 42")]
    [InlineData("arguments-object.json", "$[1].traj[6].tool_calls[0].function.arguments", "expected a string holding the arguments as JSON text, found an object")]
    [InlineData("traj-not-array.json", "$[1].traj", "expected an array, found an object")]
    [InlineData("missing-role.json", "$[1].traj[3].role", "found nothing (the property is missing)")]
    public async Task ReadAsync_BrokenMiddleRecord_SkipsItWithPathAndKeepsTheOthers(string file, string jsonPath, string message)
    {
        var path = ImporterFixtures.Path("tau-bench-edge", file);

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        runs.Select(r => r.Id).ShouldBe(["tau-airline-t0-r1", "tau-airline-t48-r1"]);
        runs.Select(r => r.Source.Index).ShouldBe([0, 2]);
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        skipped.File.ShouldBe(path);
        skipped.RecordIndex.ShouldBe(1);
        skipped.JsonPath.ShouldBe(jsonPath);
        skipped.Message.ShouldContain(message);
    }

    [Fact]
    public async Task ReadAsync_CallWithoutResultOrResultWithoutCall_KeepsNullResultAndSkipsOrphan()
    {
        var path = ImporterFixtures.Path("tau-bench-edge", "results.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        var transfer = ToolCalls(runs.ShouldHaveSingleItem()).ShouldHaveSingleItem();
        transfer.Call.ToolName.ShouldBe("transfer_to_human_agents");
        transfer.Result.ShouldBeNull();
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        (skipped.RecordIndex, skipped.JsonPath).ShouldBe((1, "$[1].traj[5].tool_call_id"));
        skipped.Message.ShouldContain("found 'call_unknown'");
    }

    [Fact]
    public async Task ReadAsync_FileNameWithoutDomain_TakesDomainFromPolicyTitle()
    {
        var (runs, _) = await ReadAsync(_importer, ImporterFixtures.Path("tau-bench-edge", "wrong-type.json"));

        runs.ShouldAllBe(r => r.Domain == "airline" && r.AgentModel == null);
    }

    [Fact]
    public async Task ReadAsync_TruncatedFile_KeepsRunsBeforeAndReportsPosition()
    {
        var path = ImporterFixtures.Path("tau-bench-edge", "truncated.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        runs.Select(r => r.Id).ShouldBe(["tau-airline-t0-r1", "tau-airline-t37-r3"]);
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        skipped.ShouldSatisfyAllConditions(
            s => s.File.ShouldBe(path),
            s => s.RecordIndex.ShouldBe(2),
            s => s.JsonPath.ShouldBe("$[2]"),
            s => s.Message.ShouldContain("truncated or malformed"),
            s => s.Message.ShouldContain("LineNumber:"),
            s => s.Message.ShouldContain("file byte"));
    }

    [Fact]
    public async Task ReadAsync_NotJson_ReportsTheFileOnce()
    {
        var path = ImporterFixtures.Path("unknown", "not-json.json");

        var (runs, diagnostics) = await ReadAsync(_importer, path);

        runs.ShouldBeEmpty();
        var skipped = diagnostics.Skipped.ShouldHaveSingleItem();
        (skipped.RecordIndex, skipped.JsonPath).ShouldBe((-1, "$"));
        skipped.Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public async Task ReadAsync_Tau2File_ReportsThatAnArrayWasExpected()
    {
        var (runs, diagnostics) = await ReadAsync(_importer, ImporterFixtures.Path("tau2-bench", "gpt-4.1_retail.json"));

        runs.ShouldBeEmpty();
        diagnostics.Skipped.ShouldHaveSingleItem().Message.ShouldStartWith("expected a JSON array of tau-bench runs, found an object");
    }

    [Fact]
    public async Task ReadAsync_RecordLargerThanTheReadBuffer_IsReadWhole()
    {
        var output = new string('x', 300_000);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"keel-tau-large-{Guid.NewGuid():N}.json");
        var record = """{"task_id": 1, "trial": 0, "reward": 1.0, "traj": [{"role": "system", "content": "# Retail agent policy"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_order_details", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "c1", "name": "get_order_details", "content": "OUTPUT"}]}""";
        await File.WriteAllTextAsync(path, "\uFEFF[" + record.Replace("OUTPUT", output, StringComparison.Ordinal) + ",\n" + record.Replace("OUTPUT", "small", StringComparison.Ordinal) + "]", new UTF8Encoding(false), TestContext.Current.CancellationToken);
        try
        {
            var (runs, diagnostics) = await ReadAsync(_importer, path);

            diagnostics.SkippedCount.ShouldBe(0);
            runs.Select(r => r.Id).ShouldBe(["tau-retail-t1-r0", "tau-retail-t1-r0"]);
            ToolCalls(runs[0]).ShouldHaveSingleItem().Result!.Output.Length.ShouldBe(output.Length);
            ToolCalls(runs[1]).ShouldHaveSingleItem().Result!.Output.ShouldBe("small");
            runs[0].StartedAt.ShouldBe(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("tau-bench/gpt-4o-airline.json", true)]
    [InlineData("tau-bench-edge/truncated.json", true)]
    [InlineData("tau2-bench/gpt-4.1_airline.json", false)]
    [InlineData("unknown/not-json.json", false)]
    public void CanRead_FileHead_RecognisesTauBenchOnly(string file, bool expected)
    {
        _importer.CanRead(file, Head(file)).ShouldBe(expected);
    }
}
