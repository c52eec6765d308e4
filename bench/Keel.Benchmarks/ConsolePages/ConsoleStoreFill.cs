using System.Diagnostics;
using System.Globalization;
using Keel.Model;
using Keel.Storage;

namespace Keel.Benchmarks.ConsolePages;

/// <summary>Fills a store through its port (<see cref="IRunStore.SaveRunsAsync"/>, sealed and hash-chained as every store write is)
/// with <c>runs</c> runs holding <c>events</c> events in all: conversations of alternating customer and agent messages with a finding
/// every 25 events, a tenth of the runs still active; run 0 has <see cref="TimelineEvents"/> events, the timeline measured.</summary>
internal static class ConsoleStoreFill
{
    /// <summary>Events of the run whose timeline is measured: 500.</summary>
    public const int TimelineEvents = 500;

    /// <summary>The id of the run whose timeline is measured.</summary>
    public const string TimelineRun = "bench-run-000000";

    public static async Task<TimeSpan> FillAsync(IRunStore store, string workspaceId, int runs, long events, DateTimeOffset start, int batch = 200)
    {
        var watch = Stopwatch.StartNew();
        var perRun = (int)((events - TimelineEvents) / Math.Max(1, runs - 1));
        var pending = new List<Run>(batch);
        for (var i = 0; i < runs; i++)
        {
            var count = i == 0 ? TimelineEvents : perRun;
            pending.Add(NewRun(i, workspaceId, count, start.AddSeconds(i)));
            if (pending.Count == batch || i == runs - 1)
            {
                await store.SaveRunsAsync(pending).ConfigureAwait(false);
                pending.Clear();
                if ((i + 1) % 1000 == 0)
                {
                    Console.Error.WriteLine($"  stored {i + 1:N0} runs ({watch.Elapsed.TotalSeconds:0} s)");
                }
            }
        }

        return watch.Elapsed;
    }

    private static Run NewRun(int index, string workspaceId, int events, DateTimeOffset startedAt)
    {
        var id = "bench-run-" + index.ToString("D6", CultureInfo.InvariantCulture);
        var run = new Run(id, workspaceId, "refund-desk", "1", startedAt, index % 3 == 0 ? "web" : "api");
        for (var e = 0; e < events; e++)
        {
            var at = startedAt.AddMilliseconds(e * 100);
            if (e % 25 == 24)
            {
                run.Append(new FindingEvent(new Finding("repeated_question", FindingSeverity.Medium, "the customer asked the same question again", [e], "repeated_question")) { Timestamp = at });
            }
            else
            {
                var role = e % 2 == 0 ? MessageRole.User : MessageRole.Assistant;
                run.Append(new MessageEvent(role, role == MessageRole.User ? $"Where is my refund for order {index}-{e}?" : $"Your refund for order {index}-{e} is on its way.") { Timestamp = at });
            }
        }

        run.Status = index % 10 == 0 ? RunStatus.Active : RunStatus.Completed;
        return run;
    }
}
