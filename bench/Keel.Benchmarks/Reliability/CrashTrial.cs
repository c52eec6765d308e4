using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Keel.Model;
using Keel.Storage.Sqlite;

namespace Keel.Benchmarks.Reliability;

/// <summary>What one crash trial needs.</summary>
/// <param name="KeelDll">The built CLI, <c>keel.dll</c>.</param>
/// <param name="TauToolsDll">The tool server, <c>keel-tau-tools.dll</c> (started by Keel as its stdio upstream).</param>
/// <param name="Bundle">The <c>samples/tau-airline</c> bundle.</param>
/// <param name="ReservationIds">Reservation ids the reads walk through (distinct within a run: the loop guard stops repeats).</param>
/// <param name="Duration">The longest the load runs before the kill; the kill comes at a random time in [half of it, all of it].</param>
/// <param name="Workers">Concurrent agents; each opens its own runs and makes its calls one after another.</param>
/// <param name="CallsPerRun">Calls per run before the agent opens another (the bundle's budget allows 30).</param>
internal sealed record CrashOptions(string KeelDll, string TauToolsDll, string Bundle, IReadOnlyList<string> ReservationIds, TimeSpan Duration, int Workers = 8, int CallsPerRun = 25);

/// <summary>One trial's figures.</summary>
/// <param name="KilledAfter">When SIGKILL was sent, from the start of the load.</param>
/// <param name="AckedRuns">Runs whose opening was answered 201.</param>
/// <param name="AckedCalls">Tool calls answered 200.</param>
/// <param name="AckedEvents">The events those answers acknowledged: per call its tool_call, decision and tool_result (3 each).</param>
/// <param name="LostEvents">Acknowledged events not in the store after the crash (must be 0).</param>
/// <param name="LostRuns">Acknowledged runs not in the store (must be 0).</param>
/// <param name="WrongDecisions">Stored decisions that differ from the one answered (must be 0).</param>
/// <param name="ExecutedNotRecorded">Calls answered 503 executed-not-recorded (their record may be lost with the process, as the answer says).</param>
/// <param name="OtherRefusals">Other answers that were not 2xx.</param>
/// <param name="InFlight">Requests without an answer when the process died (not acknowledged: not counted as lost).</param>
/// <param name="AuditIntact">Whether the audit chain verifies after the crash.</param>
/// <param name="AuditEvents">Events the audit verification checked.</param>
internal sealed record CrashResult(TimeSpan KilledAfter, int AckedRuns, int AckedCalls, int AckedEvents, int LostEvents, int LostRuns, int WrongDecisions,
    int ExecutedNotRecorded, int OtherRefusals, int InFlight, bool AuditIntact, long AuditEvents);

/// <summary>One kill -9 trial: a real <c>keel serve</c> process on a fresh SQLite file, with keel-tau-tools as its upstream, takes
/// concurrent tool calls over HTTP; at a random moment it gets SIGKILL; then the store is opened directly and every acknowledged
/// run, call and event is looked for, and the audit chain verified. docs/reliability.md.</summary>
internal static class CrashTrial
{
    public const string Tool = "get_reservation_details";

    public static async Task<CrashResult> RunAsync(CrashOptions options, string folder, int seed, CancellationToken cancellationToken)
    {
        var database = Path.Combine(folder, "keel.db");
        var random = new Random(seed);
        var killAfter = options.Duration / 2 + TimeSpan.FromMilliseconds(random.NextDouble() * options.Duration.TotalMilliseconds / 2);
        var acked = new ConcurrentBag<(string Run, string Call, string? Decision)>();
        var ackedRuns = new ConcurrentBag<string>();
        int executedNotRecorded = 0, otherRefusals = 0, inFlight = 0, killed = 0;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await using (var child = await KeelChild.StartAsync(options.KeelDll, database, options.Bundle, $"tau=dotnet {options.TauToolsDll} --domain airline", cancellationToken))
        {
            using var admin = GatewayHttp.Client(child.Address, child.AdminKey ?? throw new InvalidOperationException("no bootstrap key printed:\n" + child.Output));
            using var agent = GatewayHttp.Client(child.Address, await GatewayHttp.CreateAgentKeyAsync(admin, "tau-airline", cancellationToken));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stopwatch.Restart();
            var workers = Enumerable.Range(0, options.Workers).Select(w => Task.Run(async () =>
            {
                var offset = (w * 997) + seed;
                for (var r = 0; !stop.IsCancellationRequested; r++)
                {
                    var run = $"w{w}-r{r}";
                    var answer = await SendAsync(() => GatewayHttp.OpenRunAsync(agent, run, stop.Token));
                    if (answer is null || !answer.Ok)
                    {
                        continue;
                    }

                    ackedRuns.Add(run);
                    for (var c = 0; c < options.CallsPerRun && !stop.IsCancellationRequested; c++)
                    {
                        var reservation = options.ReservationIds[(offset + (r * options.CallsPerRun) + c) % options.ReservationIds.Count];
                        var call = $"c{c}";
                        answer = await SendAsync(() => GatewayHttp.ProposeAsync(agent, run, call, Tool, new JsonObject { ["reservation_id"] = reservation }, key: null, stop.Token));
                        if (answer?.Ok == true)
                        {
                            acked.Add((run, call, answer.DecisionKind));
                        }
                    }
                }
            }, CancellationToken.None)).ToList();

            await Task.Delay(killAfter, cancellationToken);
            Volatile.Write(ref killed, 1);
            await child.KillAsync();
            killAfter = stopwatch.Elapsed;
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        async Task<Answer?> SendAsync(Func<Task<HttpResponseMessage>> send)
        {
            var sentBeforeKill = Volatile.Read(ref killed) == 0;
            try
            {
                using var response = await send();
                var answer = await GatewayHttp.ReadAsync(response, CancellationToken.None);
                if (answer.Problem == "executed-not-recorded")
                {
                    Interlocked.Increment(ref executedNotRecorded);
                }
                else if (!answer.Ok)
                {
                    Interlocked.Increment(ref otherRefusals);
                }

                return answer;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // No answer: the process died while this request was in flight (one sent after the kill is not counted).
                if (sentBeforeKill)
                {
                    Interlocked.Increment(ref inFlight);
                }

                return null;
            }
        }

        var (lostEvents, lostRuns, wrong) = await CheckAsync(database, ackedRuns, acked, cancellationToken);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var reader = SqliteAuditReader.Open(database);
        var audit = reader.Verify();
        return new CrashResult(killAfter, ackedRuns.Count, acked.Count, acked.Count * 3, lostEvents, lostRuns, wrong, executedNotRecorded, otherRefusals, inFlight,
            audit.IsIntact, audit.EventsChecked);
    }

    /// <summary>Opens the store the crashed process left (SQLite recovers its write-ahead log) and looks for what was acknowledged.</summary>
    private static async Task<(int LostEvents, int LostRuns, int WrongDecisions)> CheckAsync(string database, IEnumerable<string> runs,
        IEnumerable<(string Run, string Call, string? Decision)> calls, CancellationToken cancellationToken)
    {
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = database }, cancellationToken: cancellationToken);
        var stored = new Dictionary<string, Run?>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            stored[run] = await store.GetRunAsync("default", run, cancellationToken);
        }

        int lostEvents = 0, wrong = 0;
        foreach (var (runId, callId, decision) in calls)
        {
            var events = stored.GetValueOrDefault(runId)?.Events ?? [];
            lostEvents += events.OfType<ToolCallEvent>().Any(e => e.Call.Id == callId) ? 0 : 1;
            var decided = events.OfType<DecisionEvent>().FirstOrDefault(e => e.CallId == callId);
            lostEvents += decided is null ? 1 : 0;
            lostEvents += events.OfType<ToolResultEvent>().Any(e => e.Result.CallId == callId) ? 0 : 1;
            if (decided is not null && !string.Equals(decided.Decision.Kind.ToString(), decision?.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            {
                wrong++;
            }
        }

        return (lostEvents, stored.Count(r => r.Value is null), wrong);
    }
}
