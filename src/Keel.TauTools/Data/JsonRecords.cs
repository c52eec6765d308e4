using System.Text.Json.Nodes;
using Keel.TauTools.Json;

namespace Keel.TauTools.Data;

/// <summary>Reads fields of database records, which tau-bench's data files guarantee; a record without them is a broken database.</summary>
internal static class JsonRecords
{
    /// <summary>The record with this id in a table, or null (Python's <c>id in table</c>).</summary>
    public static JsonObject? Find(this JsonObject table, string id) =>
        table.TryGetPropertyValue(id, out var value) ? value as JsonObject : null;

    public static JsonObject Obj(this JsonNode record, string key) => record[key] as JsonObject ?? throw Broken(record, key, "an object");

    public static JsonArray Arr(this JsonNode record, string key) => record[key] as JsonArray ?? throw Broken(record, key, "an array");

    public static string Str(this JsonNode record, string key) =>
        record[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw Broken(record, key, "a string");

    public static PyNumber Num(this JsonNode record, string key) => PyJson.AsNumber(record[key]) ?? throw Broken(record, key, "a number");

    public static bool Bool(this JsonNode record, string key) =>
        record[key] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : throw Broken(record, key, "true or false");

    /// <summary>The objects of an array field, in order.</summary>
    public static IEnumerable<JsonObject> Objects(this JsonNode record, string key) =>
        record.Arr(key).Select(item => item as JsonObject ?? throw Broken(record, key, "an array of objects"));

    private static InvalidDataException Broken(JsonNode record, string key, string expected) =>
        new($"the database is broken: {record.GetPath()}.{key} must be {expected}; restart from tau-bench's data files");
}
