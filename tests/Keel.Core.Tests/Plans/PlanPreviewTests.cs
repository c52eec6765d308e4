using System.Security.Cryptography;
using System.Text;
using Keel.Gateway;
using Keel.Plans;
using Shouldly;
using Xunit;
using static Keel.Core.Tests.Plans.JsonPatchDiffTests;

namespace Keel.Core.Tests.Plans;

public sealed class PlanPreviewTests
{
    private const string Before = """{"reservations": {"ZFA04Y": {"status": "active", "payment_history": [{"payment_id": "gift_card_1", "amount": 100}]}}}""";
    private const string After = """{"reservations": {"ZFA04Y": {"status": "cancelled", "payment_history": [{"payment_id": "gift_card_1", "amount": 100}, {"payment_id": "gift_card_1", "amount": -100}]}}}""";

    private static PlanPreview Plan(string before = Before, string after = After) => PlanPreview.Create("cancel_reservation", "preview_cancel_reservation", ParseJson(before), ParseJson(after));

    [Fact]
    public void Create_CancelledReservation_HasPatchDigestAndSummary()
    {
        var plan = Plan();

        plan.Tool.ShouldBe("cancel_reservation");
        plan.PreviewTool.ShouldBe("preview_cancel_reservation");
        plan.Patch.GetRawText().ShouldBe("""[{"op":"add","path":"/reservations/ZFA04Y/payment_history/1","value":{"payment_id":"gift_card_1","amount":-100}},{"op":"replace","path":"/reservations/ZFA04Y/status","value":"cancelled"}]""");
        plan.Summary.ShouldBe([
            """add /reservations/ZFA04Y/payment_history/1: {"payment_id":"gift_card_1","amount":-100}""",
            "replace /reservations/ZFA04Y/status: \"active\" → \"cancelled\"",
        ]);
        plan.IsEmpty.ShouldBeFalse();
        plan.Before.GetProperty("reservations").GetProperty("ZFA04Y").GetProperty("status").GetString().ShouldBe("active");
        plan.After.GetProperty("reservations").GetProperty("ZFA04Y").GetProperty("status").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public void Digest_IsSha256OfTheCanonicalStateAndPatch()
    {
        var plan = Plan();
        const string Patch = """[{"op":"add","path":"/reservations/ZFA04Y/payment_history/1","value":{"amount":-100,"payment_id":"gift_card_1"}},{"op":"replace","path":"/reservations/ZFA04Y/status","value":"cancelled"}]""";
        var canonical = "{\"before\":" + CanonicalJson.Write(plan.Before) + ",\"patch\":" + Patch + "}";

        plan.Digest.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        plan.Digest.Length.ShouldBe(71);
    }

    [Fact]
    public void Digest_SameChangeWrittenWithOtherMemberOrder_IsTheSame()
    {
        const string reordered = """{"reservations": {"ZFA04Y": {"payment_history": [{"amount": 100, "payment_id": "gift_card_1"}, {"amount": -100, "payment_id": "gift_card_1"}], "status": "cancelled"}}}""";

        Plan(after: reordered).Digest.ShouldBe(Plan().Digest);
    }

    [Fact]
    public void Digest_DifferentChange_IsDifferent()
    {
        var other = After.Replace("-100", "-90", StringComparison.Ordinal);

        Plan(after: other).Digest.ShouldNotBe(Plan().Digest);
        Plan().Matches(Plan(after: other).Digest).ShouldBeFalse();
        Plan().Matches(Plan().Digest).ShouldBeTrue();
        Plan().Matches(null).ShouldBeFalse();
    }

    [Fact]
    public void Create_NoChange_IsAnEmptyPlanWithTheDigestOfItsStateAndAnEmptyPatch()
    {
        var plan = PlanPreview.Create("t", "p", ParseJson("""{"b":1,"a":2}"""), ParseJson("""{"a":2,"b":1}"""));

        plan.IsEmpty.ShouldBeTrue();
        plan.Summary.ShouldBeEmpty();
        plan.Digest.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData("""{"before":{"a":2,"b":1},"patch":[]}"""u8)));
    }

    [Fact]
    public void Digest_SamePatchFromAnotherState_Differs()
    {
        var from40 = PlanPreview.Create("t", "p", ParseJson("""{"balance":40}"""), ParseJson("""{"balance":0}"""));
        var from75 = PlanPreview.Create("t", "p", ParseJson("""{"balance":75}"""), ParseJson("""{"balance":0}"""));

        from40.Patch.GetRawText().ShouldBe(from75.Patch.GetRawText());
        from40.Digest.ShouldNotBe(from75.Digest);
    }

    [Fact]
    public void Summary_RemovedElementAndLongValue_ShowsTheOldValueCutToTheLimit()
    {
        var longText = new string('x', 200);
        var plan = PlanPreview.Create("t", "p", ParseJson("""{"flights": ["HAT001", "HAT002"], "note": "é"}"""), ParseJson($$"""{"flights": ["HAT001"], "note": "{{longText}}"}"""));

        plan.Summary[0].ShouldBe("remove /flights/1: \"HAT002\"");
        plan.Summary[1].ShouldStartWith("""replace /note: "é" → "xxx""");
        plan.Summary[1].Length.ShouldBe("replace /note: \"é\" → ".Length + PlanPreview.SummaryValueLength);
        plan.Summary[1].ShouldEndWith("…");
    }

    [Fact]
    public void Summary_RootReplaced_NamesTheWholeValue()
    {
        PlanPreview.Create("t", "p", ParseJson("1"), ParseJson("2")).Summary.ShouldBe(["replace (whole value): 1 → 2"]);
    }

    [Fact]
    public void Create_MissingNames_Throw()
    {
        Should.Throw<ArgumentException>(() => PlanPreview.Create("", "p", ParseJson("1"), ParseJson("1")));
        Should.Throw<ArgumentNullException>(() => PlanPreview.Create("t", null!, ParseJson("1"), ParseJson("1")));
        Should.Throw<ArgumentException>(() => PlanPreview.DigestOf(default, ParseJson("[]")));
    }
}
