using System.Text.Json.Nodes;
using Keel.TauTools.Data;
using Keel.TauTools.Json;
using Keel.TauTools.Tools;
using Shouldly;
using Xunit;

namespace Keel.TauTools.Tests.Tools.Previews;

/// <summary>The dry runs <c>preview_&lt;write&gt;</c>: they change nothing, show the records the write touches, and their <c>after</c>
/// is what the write then produces.</summary>
public sealed class PreviewToolsTests
{
    /// <summary>Every table of the database as Python would write it.</summary>
    private static Dictionary<string, string> Snapshot(TauDatabase database) =>
        database.Domain.Tables().ToDictionary(table => table, table => PyJson.Dumps(database.Table(table)));

    /// <summary>The <c>table/id</c> of every record that differs between two snapshots' databases.</summary>
    private static List<string> ChangedRecords(TauDatabase database, Dictionary<string, string> before)
    {
        var changed = new List<string>();
        foreach (var table in database.Domain.Tables())
        {
            var old = JsonNode.Parse(before[table])!.AsObject();
            var now = JsonNode.Parse(PyJson.Dumps(database.Table(table)))!.AsObject();
            changed.AddRange(now.Where(e => !old.ContainsKey(e.Key) || !JsonNode.DeepEquals(old[e.Key], e.Value)).Select(e => $"{table}/{e.Key}"));
            changed.AddRange(old.Where(e => !now.ContainsKey(e.Key)).Select(e => $"{table}/{e.Key}"));
        }

        return changed;
    }

    private static List<string> Keys(JsonObject side) => [.. side.SelectMany(table => table.Value!.AsObject().Select(record => $"{table.Key}/{record.Key}"))];

    private static string Record(TauDatabase database, string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return PyJson.Dumps(database.Table(key[..slash])[key[(slash + 1)..]]);
    }

    private static string Record(JsonObject side, string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return PyJson.Dumps(side[key[..slash]]![key[(slash + 1)..]]);
    }

    [Theory]
    [MemberData(nameof(PreviewCases.Writes), MemberType = typeof(PreviewCases))]
    public void Preview_SuccessfulWrite_ChangesNothingAndItsAfterIsWhatTheWriteThenProduces(TauDomain domain, string write, string arguments, string[] touched)
    {
        var database = Tau.Database(domain);
        var toolbox = new TauToolbox(database, previews: true);
        var start = Snapshot(database);

        var preview = toolbox.Call("preview_" + write, arguments).Object();

        Snapshot(database).ShouldBe(start, "the preview must not change the database");
        preview.Select(p => p.Key).ShouldBe(["before", "after"]);
        var before = preview["before"]!.AsObject();
        var after = preview["after"]!.AsObject();
        Keys(after).ShouldBe(touched, ignoreOrder: true);
        before.Select(t => t.Key).ShouldBe(after.Select(t => t.Key));
        foreach (var key in Keys(before))
        {
            Record(before, key).ShouldBe(Record(database, key), $"before of {key} is the record as it is now");
        }

        toolbox.Call(write, arguments).IsError.ShouldBeFalse();

        foreach (var key in Keys(after))
        {
            Record(after, key).ShouldBe(Record(database, key), $"after of {key} is what {write} wrote");
        }

        ChangedRecords(database, start).ShouldBeSubsetOf(Keys(after), $"every record {write} changed is in the preview");
    }

    [Theory]
    [MemberData(nameof(PreviewCases.Failures), MemberType = typeof(PreviewCases))]
    public void Preview_WriteThatWouldFail_AnswersTheWritesErrorAndChangesNothing(TauDomain domain, string write, string arguments, string error)
    {
        var database = Tau.Database(domain);
        var toolbox = new TauToolbox(database, previews: true);
        var start = Snapshot(database);

        toolbox.Call("preview_" + write, arguments).ShouldFailWith(error);

        Snapshot(database).ShouldBe(start);
        toolbox.Call(write, arguments).ShouldFailWith(error);
    }

    [Fact]
    public void Preview_CancelReservation_ShowsTheRefundsAndTheStatus_AndAFollowingReadReturnsThePreState()
    {
        var toolbox = new TauToolbox(Tau.Database(TauDomain.Airline), previews: true);
        var read = toolbox.Call("get_reservation_details", """{"reservation_id": "YAX4DR"}""").Text;

        var preview = toolbox.Call("preview_cancel_reservation", """{"reservation_id": "YAX4DR"}""").Object();

        toolbox.Call("get_reservation_details", """{"reservation_id": "YAX4DR"}""").Text.ShouldBe(read);
        var before = preview["before"]!["reservations"]!["YAX4DR"]!.AsObject();
        var after = preview["after"]!["reservations"]!["YAX4DR"]!.AsObject();
        before.ContainsKey("status").ShouldBeFalse();
        after["status"]!.GetValue<string>().ShouldBe("cancelled");
        after["payment_history"]!.AsArray().Count.ShouldBe(2 * before["payment_history"]!.AsArray().Count);
    }

    [Fact]
    public void Preview_NewBooking_IsMissingFromBeforeAndPresentAfter()
    {
        var toolbox = new TauToolbox(Tau.Database(TauDomain.Airline), previews: true);

        var preview = toolbox.Call("preview_book_reservation", PreviewCases.Booking).Object();

        preview["before"]!["reservations"]!.AsObject().Count.ShouldBe(0);
        preview["after"]!["reservations"]!["HATHAT"]!["created_at"]!.GetValue<string>().ShouldBe("2024-05-15T15:00:00");
        toolbox.Call("preview_book_reservation", PreviewCases.Booking).Text.ShouldBe(toolbox.Call("preview_book_reservation", PreviewCases.Booking).Text);
        toolbox.Call("book_reservation", PreviewCases.Booking).Object()["reservation_id"]!.GetValue<string>().ShouldBe("HATHAT");
    }

    [Fact]
    public void Preview_AfterAnEarlierWrite_StartsFromTheCurrentState()
    {
        var toolbox = new TauToolbox(Tau.Database(TauDomain.Retail), previews: true);
        toolbox.Call("modify_pending_order_payment", """{"order_id": "#W4923227", "payment_method_id": "paypal_1621947"}""").IsError.ShouldBeFalse();

        var preview = toolbox.Call("preview_cancel_pending_order", """{"order_id": "#W4923227", "reason": "no longer needed"}""").Object();

        preview["before"]!["orders"]!["#W4923227"]!["payment_history"]!.AsArray().Count.ShouldBe(3);
        preview["after"]!["orders"]!["#W4923227"]!["payment_history"]!.AsArray().Count.ShouldBe(6);
    }

    [Theory]
    [InlineData(TauDomain.Airline, 14, 6)]
    [InlineData(TauDomain.Retail, 16, 7)]
    public void Tools_WithPreviews_AddOneReadOnlyDryRunPerWriteWithTheWritesSchema(TauDomain domain, int tools, int writes)
    {
        var plain = new TauToolbox(Tau.Database(domain));
        var toolbox = new TauToolbox(Tau.Database(domain), previews: true);

        plain.Tools.Count.ShouldBe(tools);
        toolbox.Tools.Count.ShouldBe(tools + writes);
        toolbox.Tools.Take(tools).Select(t => t.Name).ShouldBe(plain.Tools.Select(t => t.Name));
        foreach (var write in plain.Tools.Where(t => t.Kind == ToolKind.Write))
        {
            var preview = toolbox.Tools.Single(t => t.Name == "preview_" + write.Name);
            preview.Parameters.GetRawText().ShouldBe(write.Parameters.GetRawText());
            preview.Kind.ShouldBe(ToolKind.Read);
            preview.Idempotent.ShouldBeTrue();
            preview.Description.ShouldStartWith($"Dry run of {write.Name}: takes the same arguments and changes nothing.");
        }
    }

    [Fact]
    public void Invoke_PreviewWithoutPreviewsEnabled_IsAnUnknownActionAsInTheReference()
    {
        Tau.Airline().Call("preview_cancel_reservation", """{"reservation_id": "YAX4DR"}""").ShouldFailWith("Unknown action preview_cancel_reservation");
    }
}
