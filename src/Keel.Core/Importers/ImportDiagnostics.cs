using System.Collections.Concurrent;

namespace Keel.Importers;

/// <summary>A record an importer skipped, with where and why.</summary>
/// <param name="File">The input file.</param>
/// <param name="RecordIndex">0-based index of the run in the file, or -1 when the whole file is unreadable.</param>
/// <param name="JsonPath">JSONPath of the offending value, e.g. <c>$[3].traj[5].tool_calls[0].function.arguments</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record SkippedRecord(string File, int RecordIndex, string JsonPath, string Message)
{
    /// <inheritdoc />
    public override string ToString() => RecordIndex < 0
        ? $"{File}: {JsonPath}: {Message}"
        : $"{File} record {RecordIndex} at {JsonPath}: {Message}";
}

/// <summary>Collects what importers skipped. Thread-safe.</summary>
public sealed class ImportDiagnostics
{
    private readonly ConcurrentQueue<SkippedRecord> _skipped = new();

    /// <summary>Skipped records in the order they were reported.</summary>
    public IReadOnlyCollection<SkippedRecord> Skipped => _skipped;

    /// <summary>How many records were skipped.</summary>
    public int SkippedCount => _skipped.Count;

    /// <summary>Reports a skipped record.</summary>
    /// <param name="record">The record.</param>
    public void Skip(SkippedRecord record) => _skipped.Enqueue(record);
}
