using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Tests.Bundles;
using Keel.Plans;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Plans;

/// <summary>Property: <c>Apply(before, Create(before, after)) == after</c>, over real tau-bench records (samples/tau-*/db) changed by
/// seeded random edits, and the patch is empty exactly when nothing changed.</summary>
public sealed class JsonPatchRoundTripTests
{
    public static TheoryData<string, string, string> Tables => new()
    {
        { "tau-airline", "reservations", "reservation" },
        { "tau-airline", "users", "user" },
        { "tau-airline", "flights", "flight" },
        { "tau-retail", "orders", "order" },
        { "tau-retail", "users", "user" },
        { "tau-retail", "products", "product" },
    };

    /// <summary>The first <paramref name="count"/> records of a table of a sample database.</summary>
    internal static List<(string Id, JsonObject Record)> Records(string sample, string table, int count)
    {
        using var stream = File.OpenRead(RepoPaths.Sample(sample, "db", table + ".json"));
        var root = JsonNode.Parse(stream)!.AsObject();
        return [.. root.Take(count).Select(entry => (entry.Key, (JsonObject)entry.Value!.DeepClone()))];
    }

    private static JsonElement Element(JsonNode? node)
    {
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Apply_DiffOfARealRecordAndItsRandomEdit_GivesTheEditedRecord(string sample, string table, string what)
    {
        var random = new EditRandom((sample + table).Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) & 0x7fffffff);
        var checkedPatches = 0;
        var records = Records(sample, table, 60);
        foreach (var (id, record) in records)
        {
            var before = Element(record);
            var edited = record.DeepClone();
            var edits = 1 + random.Next(4);
            for (var i = 0; i < edits; i++)
            {
                edited = random.Edit(edited);
            }

            var after = Element(edited);
            var patch = JsonPatchDiff.Create(before, after);

            var applied = JsonPatchDiff.Apply(before, patch);
            JsonElement.DeepEquals(applied, after).ShouldBeTrue($"{what} {id}: patch {patch.GetRawText()} does not reproduce the edit");
            (patch.GetArrayLength() == 0).ShouldBe(JsonElement.DeepEquals(before, after), $"{what} {id}");
            JsonPatchDiff.Create(before, before).GetArrayLength().ShouldBe(0);
            checkedPatches += patch.GetArrayLength() > 0 ? 1 : 0;
        }

        records.Count.ShouldBeGreaterThanOrEqualTo(50);
        checkedPatches.ShouldBeGreaterThanOrEqualTo(records.Count * 8 / 10, "the edits should change almost every record");
    }

    [Fact]
    public void Create_CancellationOfARealReservation_IsTheRefundAndTheStatus()
    {
        var (_, reservation) = Records("tau-airline", "reservations", 1).Single();
        var before = Element(reservation);
        reservation["payment_history"]!.AsArray().Add(new JsonObject { ["payment_id"] = "gift_card_3576581", ["amount"] = -4986 });
        reservation["status"] = "cancelled";

        JsonPatchDiff.Create(before, Element(reservation)).GetRawText().ShouldBe(
            """[{"op":"add","path":"/payment_history/1","value":{"payment_id":"gift_card_3576581","amount":-4986}},{"op":"add","path":"/status","value":"cancelled"}]""");
    }
}

/// <summary>Seeded random edits of a JSON tree: replace, add and remove members, grow, shrink and reorder arrays, change kinds,
/// use member names that need pointer escaping.</summary>
internal sealed class EditRandom(int seed)
{
    private static readonly string[] _names = ["status", "a/b", "m~n", "~", "/", "new", "", "0"];
#pragma warning disable CA5394 // test data, not security
    private readonly Random _random = new(seed);

    public int Next(int max) => _random.Next(max);
#pragma warning restore CA5394

    public JsonNode? Edit(JsonNode? root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes.Count == 0 ? null : nodes[Next(nodes.Count)];
        if (target is null || (target == root && Next(10) == 0))
        {
            return Value();
        }

        switch (target)
        {
            case JsonObject obj when obj.Count > 0 && Next(3) == 0:
                obj.Remove(obj.ElementAt(Next(obj.Count)).Key);
                break;
            case JsonObject obj:
                obj[_names[Next(_names.Length)]] = Value();
                break;
            case JsonArray array:
                switch (Next(4))
                {
                    case 0: array.Add(Value()); break;
                    case 1 when array.Count > 0: array.RemoveAt(array.Count - 1); break;
                    case 2: array.Insert(0, Value()); break;
                    default:
                        if (array.Count > 1)
                        {
                            var first = array[0]?.DeepClone();
                            array.RemoveAt(0);
                            array.Add(first);
                        }

                        break;
                }

                break;
            default:
                Replace(target, Value());
                break;
        }

        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }

        into.Add(node);
        foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] })
        {
            Collect(child, into);
        }
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = value;
                break;
            case JsonArray parent:
                parent[target.GetElementIndex()] = value;
                break;
        }
    }

    private JsonNode? Value() => Next(7) switch
    {
        0 => null,
        1 => JsonValue.Create(Next(1000)),
        2 => JsonValue.Create(Next(100000) / 100.0),
        3 => JsonValue.Create("cancelled"),
        4 => JsonValue.Create(Next(2) == 0),
        5 => new JsonArray(JsonValue.Create("x"), new JsonObject { ["k"] = Next(5) }),
        _ => new JsonObject { ["amount"] = -Next(500), ["a/b~"] = "y" },
    };
}
