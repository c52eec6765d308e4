namespace Keel.Importers;

/// <summary>
/// A run record whose structure is broken (a required field missing or of the wrong JSON type). Thrown inside an
/// importer while converting one record and caught at the record boundary, where it becomes a <see cref="SkippedRecord"/>;
/// it never leaves the importer.
/// </summary>
internal sealed class RecordFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="jsonPath">JSONPath of the offending value, e.g. <c>$[12].traj[4].role</c>.</param>
    /// <param name="message">What was expected and what was found.</param>
    public RecordFormatException(string jsonPath, string message)
        : base(message) => JsonPath = jsonPath;

    /// <summary>JSONPath of the offending value.</summary>
    public string JsonPath { get; }
}
