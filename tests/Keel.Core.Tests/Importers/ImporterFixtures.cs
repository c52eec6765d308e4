using Keel.Importers;
using Keel.Model;
using Keel.Replay;
using Xunit;

namespace Keel.Core.Tests.Importers;

/// <summary>Paths of the importer fixtures (copied to the output folder) and helpers to read them.</summary>
internal static class ImporterFixtures
{
    public static readonly DateTimeOffset AirlineClock = new(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5));

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "TestData", "importers", .. parts]);

    /// <summary>The first 4 KiB of a fixture as UTF-8, as <see cref="RunImporters"/> passes it to <see cref="IRunImporter.CanRead"/>.</summary>
    public static string Head(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path(relativePath.Split('/')));
        return System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, RunImporters.HeadSize));
    }

    public static async Task<(List<RecordedRun> Runs, ImportDiagnostics Diagnostics)> ReadAsync(IRunImporter importer, string path)
    {
        var diagnostics = new ImportDiagnostics();
        var runs = new List<RecordedRun>();
        await foreach (var run in importer.ReadAsync(path, diagnostics, TestContext.Current.CancellationToken))
        {
            runs.Add(run);
        }

        return (runs, diagnostics);
    }

    public static RecordedToolCall[] ToolCalls(RecordedRun run) => [.. run.Steps.OfType<RecordedToolCall>()];

    public static RecordedMessage[] Messages(RecordedRun run) => [.. run.Steps.OfType<RecordedMessage>()];

    /// <summary>One letter per step: S/U/A/O for system/user/assistant/operator messages, T for a tool call.</summary>
    public static string Shape(RecordedRun run) => string.Concat(run.Steps.Select(step => step switch
    {
        RecordedMessage { Role: MessageRole.System } => "S",
        RecordedMessage { Role: MessageRole.User } => "U",
        RecordedMessage { Role: MessageRole.Assistant } => "A",
        RecordedMessage => "O",
        _ => "T",
    }));
}
