using System.Text.Json;
using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelPolicyExampleTests
{
    private const string InsuredOrBusiness =
        "facts.get_reservation_details[args.reservation_id].cabin == 'business' || " +
        "facts.get_reservation_details[args.reservation_id].insurance == 'yes'";

    private static readonly JsonElement Facts = Cel.Json("""
        {
          "get_reservation_details": {
            "EHGLP3": { "cabin": "economy", "insurance": "yes" },
            "NO6JO3": { "cabin": "business", "insurance": "no" },
            "4WQ150": { "cabin": "basic_economy", "insurance": "no" },
            "PARTLY": { "cabin": "economy" }
          }
        }
        """);

    [Theory]
    [InlineData("EHGLP3", true)]
    [InlineData("NO6JO3", true)]
    [InlineData("4WQ150", false)]
    public void Evaluate_ReservationPolicy_DecidesFromJsonFacts(string reservationId, bool expected)
    {
        var program = CelProgram.Compile(InsuredOrBusiness);
        var activation = new CelActivation { ["facts"] = Facts, ["args"] = Cel.Json($$"""{"reservation_id": "{{reservationId}}"}""") };

        program.Evaluate(activation).ShouldBe(expected);
    }

    [Fact]
    public void Evaluate_ReservationPolicyWithUnknownReservation_ReturnsNoSuchKey()
    {
        var program = CelProgram.Compile(InsuredOrBusiness);
        var activation = new CelActivation { ["facts"] = Facts, ["args"] = Cel.Json("""{"reservation_id": "ZZZZZZ"}""") };

        program.Evaluate(activation).ShouldBeOfType<CelError>().Message.ShouldBe("no such key: 'ZZZZZZ'");
    }

    [Fact]
    public void Evaluate_ReservationPolicyWithMissingField_ReturnsNoSuchKeyForThatField()
    {
        var program = CelProgram.Compile(InsuredOrBusiness);
        var activation = new CelActivation { ["facts"] = Facts, ["args"] = Cel.Json("""{"reservation_id": "PARTLY"}""") };

        program.Evaluate(activation).ShouldBeOfType<CelError>().Message.ShouldBe("no such key: 'insurance'");
    }

    [Fact]
    public void Variables_ReservationPolicy_ListsFactsAndArgs() =>
        CelProgram.Compile(InsuredOrBusiness).Variables.OrderBy(v => v, StringComparer.Ordinal).ShouldBe(["args", "facts"]);
}
