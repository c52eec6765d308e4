using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Previews;

/// <summary>
/// The dry runs of the write tools: <c>preview_&lt;tool&gt;</c> takes the write's arguments, runs the write on a scratch copy of the
/// database as it is now, and answers <c>{"before": …, "after": …}</c> — the records the write touches, as they are and as the write
/// would leave them — without changing the database (Keel's preview contract, docs/plans.md).
/// </summary>
/// <remarks>
/// <para>Both sides have the shape <c>{"&lt;table&gt;": {"&lt;id&gt;": record}}</c>, tables in the domain's order
/// (<see cref="TauDomains.Tables"/>). A record is shown when the write changes, adds or removes it, and also when an argument names
/// it (<c>reservation_id</c>, <c>order_id</c>, <c>user_id</c>) so the reviewer sees what the call is about even if nothing changes.
/// A record the write adds (a new booking) is missing from <c>before</c>; its table is then present on both sides.</para>
/// <para>A write that would fail answers its own error text as a tool error, and the preview answers the same. Previews are not
/// tau-bench tools: the server lists them only with <c>--previews</c>.</para>
/// </remarks>
internal static class TauPreviews
{
    /// <summary>The name prefix of a preview tool: <c>preview_</c>.</summary>
    public const string Prefix = "preview_";

    /// <summary>The arguments that name a record, and the table holding it.</summary>
    private static readonly (string Argument, string Table)[] _namedRecords = [("reservation_id", "reservations"), ("order_id", "orders"), ("user_id", "users")];

    /// <summary>The preview tool of a write tool: its name prefixed, the write's parameter schema, read-only and idempotent.</summary>
    public static TauToolDefinition Define(TauToolDefinition write) => new(
        Prefix + write.Name,
        $"Dry run of {write.Name}: takes the same arguments and changes nothing. Answers {{\"before\": ..., \"after\": ...}}: the records " +
        $"{write.Name} would touch, keyed by table and id, as they are now and as the write would leave them. Fails with the error {write.Name} would answer.",
        write.Parameters,
        ToolKind.Read,
        Idempotent: true);

    /// <summary>The handler of a preview tool: the write's handler run on a scratch copy.</summary>
    public static TauToolHandler Wrap(TauToolHandler write) => (context, arguments) => Preview(write, context, arguments);

    private static ToolOutcome Preview(TauToolHandler write, ToolContext context, ToolArguments arguments)
    {
        var database = context.Database;
        var scratch = database.CreateScratchCopy();
        var outcome = write(context with { Database = scratch }, arguments);
        if (outcome.IsError)
        {
            return outcome;
        }

        var before = new JsonObject();
        var after = new JsonObject();
        foreach (var table in database.Domain.Tables())
        {
            var ids = Named(arguments, table).Concat(Changed(database, scratch, table)).Distinct(StringComparer.Ordinal).ToList();
            var old = database.Table(table);
            var now = scratch.LoadedTables.Contains(table) ? scratch.Table(table) : old;
            var beforeRecords = Records(old, ids);
            var afterRecords = Records(now, ids);
            if (beforeRecords.Count > 0 || afterRecords.Count > 0)
            {
                before[table] = beforeRecords;
                after[table] = afterRecords;
            }
        }

        return ToolOutcome.Ok(PyJson.Dumps(new JsonObject { ["before"] = before, ["after"] = after }));
    }

    /// <summary>Ids of <paramref name="table"/> the call's arguments name (existing or not; missing ones are skipped later).</summary>
    private static IEnumerable<string> Named(ToolArguments arguments, string table) =>
        _namedRecords.Where(n => n.Table == table && arguments.Has(n.Argument)).Select(n => arguments.Text(n.Argument));

    /// <summary>Ids of records the write changed, added or removed in a table, in the table's order (added ones last).</summary>
    private static List<string> Changed(Data.TauDatabase database, Data.TauDatabase scratch, string table)
    {
        if (!scratch.LoadedTables.Contains(table))
        {
            return [];
        }

        var old = database.Table(table);
        var now = scratch.Table(table);
        var changed = new List<string>();
        if (Utf8(old).AsSpan().SequenceEqual(Utf8(now)))
        {
            return changed;
        }

        foreach (var (id, record) in old)
        {
            if (!now.TryGetPropertyValue(id, out var current) || !SameRecord(record, current))
            {
                changed.Add(id);
            }
        }

        changed.AddRange(now.Select(entry => entry.Key).Where(id => !old.ContainsKey(id)));
        return changed;
    }

    /// <summary>Equal JSON text. Records a tool never read are written straight from their parsed bytes, which keeps this fast
    /// on large tables; numbers are compared as System.Text.Json writes them (an int and an equal float look the same, as they
    /// do to a JSON Patch).</summary>
    private static bool SameRecord(JsonNode? a, JsonNode? b) => ReferenceEquals(a, b) || Utf8(a).AsSpan().SequenceEqual(Utf8(b));

    private static byte[] Utf8(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Copies of the records of these ids that exist in the table.</summary>
    private static JsonObject Records(JsonObject table, List<string> ids)
    {
        var records = new JsonObject();
        foreach (var id in ids)
        {
            if (table.TryGetPropertyValue(id, out var record))
            {
                records[id] = record?.DeepClone();
            }
        }

        return records;
    }
}
