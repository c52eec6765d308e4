using Keel.Model;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Gateway.GatewayKit;

namespace Keel.Core.Tests.Gateway;

public sealed class SchemaStageTests
{
    private const string Flights = "update_reservation_flights";

    [Fact]
    public async Task ExecuteAsync_UnknownTool_DeniesNamingTheToolAndTheAgentsTools()
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool), NewRun(), Agent(), Call("delete_all_reservations", "{}"));

        outcome.Decision.Kind.ShouldBe(DecisionKind.Deny);
        outcome.Decision.Stage.ShouldBe("schema");
        outcome.Decision.RuleId.ShouldBe("schema.unknown_tool");
        outcome.Decision.Reason.ShouldBe(
            "delete_all_reservations: $: unknown tool 'delete_all_reservations'; this agent's tools are: cancel_reservation, get_reservation_details, "
            + "send_certificate, transfer_to_human_agents, update_reservation_flights");
        outcome.Result.Status.ShouldBe(ToolResultStatus.NotExecuted);
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Schema);
        outcome.Failure.Disposition.ShouldBe(Disposition.SafeStop);
        tool.Attempts.ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"reservation_id": "ABC123", """)]
    [InlineData("""{"reservation_id": "ABC123"} trailing""")]
    [InlineData("""["ABC123"]""")]
    public async Task ExecuteAsync_MalformedJsonArguments_DeniesAtTheRoot(string arguments)
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool), NewRun(), Agent(), Call("cancel_reservation", arguments));

        outcome.Decision.RuleId.ShouldBe("schema.malformed_json");
        outcome.Decision.Reason.ShouldStartWith("cancel_reservation: $: arguments ");
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Schema);
        tool.Attempts.ShouldBe(0);
    }

    [Theory]
    [InlineData("{'reservation_id': 'ABC123'}")]
    [InlineData("{reservation_id: \"ABC123\"}")]
    [InlineData("{\"reservation_id\": \"ABC123\",}")]
    [InlineData("{\"reservation_id\": \"ABC123\"} // sure")]
    public async Task ExecuteAsync_JsonThatOnlyALenientParserAccepts_DeniesAsMalformedJson(string arguments)
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool), NewRun(), Agent(), Call("cancel_reservation", arguments));

        outcome.Decision.RuleId.ShouldBe("schema.malformed_json");
        tool.Attempts.ShouldBe(0);
    }

    [Theory]
    [InlineData("""{"reservation_id": "ABC123", "cabin": "economy", "payment_id": "credit_card_1", "flights": [{"flight_number": "HAT001"}]}""",
        "schema.missing_field", "$.flights[0].date", "missing required field 'date'")]
    [InlineData("""{"reservation_id": "ABC123", "cabin": "economy", "flights": []}""",
        "schema.missing_field", "$.payment_id", "missing required field 'payment_id'")]
    [InlineData("""{"reservation_id": "ABC123", "cabin": "economy", "payment_id": "credit_card_1", "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}, {"flight_number": "HAT002", "date": "2024-05-21", "seat": "12A"}]}""",
        "schema.extra_field", "$.flights[1].seat", "unknown field 'seat': the tool does not declare it")]
    [InlineData("""{"reservation_id": "ABC123", "cabin": "economy", "payment_id": "credit_card_1", "flights": [], "note": "asap"}""",
        "schema.extra_field", "$.note", "unknown field 'note': the tool does not declare it")]
    [InlineData("""{"reservation_id": "ABC123", "cabin": "economy", "payment_id": "credit_card_1", "flights": [{"flight_number": "HAT001", "date": 20240520}]}""",
        "schema.wrong_type", "$.flights[0].date", "'date' has the wrong type: string expected")]
    [InlineData("""{"reservation_id": 123, "cabin": "economy", "payment_id": "credit_card_1", "flights": []}""",
        "schema.wrong_type", "$.reservation_id", "'reservation_id' has the wrong type: string expected")]
    [InlineData("""{"reservation_id": "ABC123", "cabin": "first", "payment_id": "credit_card_1", "flights": []}""",
        "schema.not_in_enum", "$.cabin", "'cabin' is not one of the allowed values")]
    public async Task ExecuteAsync_ArgumentsBreakingTheSchema_DeniesNamingTheJsonPath(string arguments, string rule, string path, string message)
    {
        var tool = new FakeToolExecutor();

        var outcome = await EnforceAsync(Pipeline(tool), NewRun(), Agent(), Call(Flights, arguments));

        outcome.Decision.Kind.ShouldBe(DecisionKind.Deny);
        outcome.Decision.Stage.ShouldBe("schema");
        outcome.Decision.RuleId.ShouldBe(rule);
        outcome.Decision.Reason.ShouldBe($"{Flights}: {path}: {message}");
        outcome.Failure.ShouldNotBeNull().Class.ShouldBe(FailureClass.Schema);
        tool.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task ExecuteAsync_SeveralViolations_ListsEachWithItsPath()
    {
        var outcome = await EnforceAsync(Pipeline(new FakeToolExecutor()), NewRun(), Agent(),
            Call(Flights, """{"reservation_id": 7, "cabin": "economy", "flights": [{"date": "2024-05-20"}]}"""));

        outcome.Decision.Reason.ShouldStartWith($"{Flights}: ");
        outcome.Decision.Reason.ShouldContain("$.reservation_id: 'reservation_id' has the wrong type");
        outcome.Decision.Reason.ShouldContain("$.payment_id: missing required field 'payment_id'");
        outcome.Decision.Reason.ShouldContain("$.flights[0].flight_number: missing required field 'flight_number'");
        outcome.Decision.Reason.Split("; ").Length.ShouldBe(3);
    }

    [Fact]
    public async Task ExecuteAsync_ValidArguments_PassToTheToolUnchanged()
    {
        var tool = new FakeToolExecutor();
        const string arguments = """{"cabin": "business", "reservation_id": "ABC123", "payment_id": "gift_card_1", "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}""";

        var outcome = await EnforceAsync(Pipeline(tool), NewRun(), Agent(), Call(Flights, arguments));

        outcome.Decision.Kind.ShouldBe(DecisionKind.Allow);
        tool.Received.ShouldHaveSingleItem().ArgumentsJson.ShouldBe(arguments);
    }
}
