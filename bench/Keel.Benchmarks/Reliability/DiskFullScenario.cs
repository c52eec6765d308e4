using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Keel.Model;
using Keel.Server;
using Keel.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Benchmarks.Reliability;

/// <summary>What the disk-full scenario measured. Every "must be 0" is a broken promise of docs/storage.md ("Executed, not recorded").</summary>
/// <param name="Calls">Distinct tool calls sent.</param>
/// <param name="Answers">Every answer, by kind (<c>200</c>, <c>503 store-unavailable</c>, …), first tries and retries.</param>
/// <param name="FalseNothingChanged">Answers "nothing was changed" (<c>store-unavailable</c>) for a call that had run (must be 0).</param>
/// <param name="DoubleExecutions">Calls that ran more than once (must be 0).</param>
/// <param name="OutcomeMissing"><c>executed-not-recorded</c> answers without the outcome (must be 0).</param>
/// <param name="ExecutedNotRecorded">Calls answered <c>executed-not-recorded</c>.</param>
/// <param name="ReplayedWhileFull">Retries, while the disk was still full, answered the kept outcome (200, <c>Idempotent-Replayed</c>).</param>
/// <param name="FlushedInBackground">Executed-not-recorded calls found stored after space came back, before any retry.</param>
/// <param name="UnrecordedAtEnd">Calls that ran and whose tool_call, decision and result are not all stored at the end (must be 0).</param>
/// <param name="NotAnsweredOkAtEnd">Calls without a 2xx answer after the last retry (must be 0).</param>
/// <param name="ServerErrors">Answers 5xx other than 503 (must be 0).</param>
/// <param name="AuditIntact">Whether the audit chain verifies at the end.</param>
/// <param name="AuditEvents">Events the audit verification checked.</param>
internal sealed record DiskFullResult(int Calls, IReadOnlyDictionary<string, int> Answers, int FalseNothingChanged, int DoubleExecutions, int OutcomeMissing,
    int ExecutedNotRecorded, int ReplayedWhileFull, int FlushedInBackground, int UnrecordedAtEnd, int NotAnsweredOkAtEnd, int ServerErrors, bool AuditIntact, long AuditEvents);

/// <summary>Disk full during writes: the gateway (Kestrel on 127.0.0.1, the SQLite store on a small tmpfs) takes write calls
/// (<c>refund_order</c> with a large note) from concurrent agents until the disk fills; every call not answered 2xx is retried
/// with the same <c>Idempotency-Key</c> while full; then the tmpfs grows, the kept outcomes are flushed, everything is retried
/// again and the store and audit chain are checked. docs/reliability.md.</summary>
internal static class DiskFullScenario
{
    private const string Tool = "refund_order";

    public static async Task<DiskFullResult> RunAsync(TmpfsMount disk, AgentVersion agent, long grownBytes, int workers = 4, int runs = 16, int noteBytes = 48_000,
        int failuresWanted = 40, int maxCalls = 4000, CancellationToken cancellationToken = default)
    {
        var database = Path.Combine(disk.Path, "keel.db");
        var counter = new CallCounter();
        var options = new KeelServerOptions { Storage = k => k.UseSqlite(database), Executor = counter };
        options.Agents.Add(agent);
        var server = await KeelServer.BuildAsync(options, ["http://127.0.0.1:0"], cancellationToken: cancellationToken);
        var answers = new ConcurrentDictionary<int, ConcurrentQueue<(Answer Answer, int Executions)>>();
        int falseNothingChanged = 0, outcomeMissing = 0, flushed = 0;
        var note = new string('n', noteBytes);
        await using (var app = server.App)
        {
            await server.StartAsync(cancellationToken);
            using var admin = GatewayHttp.Client(new Uri(server.Addresses.Single()), server.BootstrapAdminKey!);
            using var client = GatewayHttp.Client(new Uri(server.Addresses.Single()), await GatewayHttp.CreateAgentKeyAsync(admin, agent.AgentName, cancellationToken));
            for (var r = 0; r < runs; r++)
            {
                (await GatewayHttp.OpenRunAsync(client, $"run-{r}", cancellationToken)).EnsureSuccessStatusCode();
            }

            string Run(int n) => $"run-{n % runs}";
            async Task<Answer> CallAsync(int n)
            {
                var arguments = new JsonObject { ["order_id"] = $"O{n}", ["amount"] = 10, ["note"] = note };
                using var response = await GatewayHttp.ProposeAsync(client, Run(n), $"c{n}", Tool, arguments, $"k{n}", cancellationToken);
                var answer = await GatewayHttp.ReadAsync(response, cancellationToken);
                var executions = counter.Count(Run(n), $"c{n}");
                answers.GetOrAdd(n, _ => new()).Enqueue((answer, executions));
                if (answer.Problem == "store-unavailable" && executions > 0)
                {
                    Interlocked.Increment(ref falseNothingChanged);
                }

                if (answer.Problem == "executed-not-recorded" && answer.Outcome?.TryGetProperty("result", out _) != true)
                {
                    Interlocked.Increment(ref outcomeMissing);
                }

                return answer;
            }

            // 1. Fill: concurrent agents write until enough calls were refused.
            int next = -1, failures = 0;
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (Volatile.Read(ref failures) < failuresWanted && Interlocked.Increment(ref next) is var n && n < maxCalls)
                {
                    if (!(await CallAsync(n)).Ok)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }, cancellationToken)));
            var calls = Math.Min(next + 1, maxCalls);
            bool Answered(int n) => answers[n].Any(a => a.Answer.Ok);

            // 2. Retry while still full: the same request and key.
            foreach (var n in Enumerable.Range(0, calls).Where(n => !Answered(n)))
            {
                await CallAsync(n);
            }

            var replayedWhileFull = answers.Values.Count(q => q.Any(a => a.Answer.Problem == "executed-not-recorded") && q.Any(a => a.Answer.Ok && a.Answer.Replayed));

            // 3. Space comes back: the background flusher (every second) stores the kept outcomes without any request.
            await disk.ResizeAsync(grownBytes);
            var kept = Enumerable.Range(0, calls).Where(n => answers[n].Any(a => a.Answer.Problem == "executed-not-recorded")).ToList();
            for (var round = 0; round < 30 && kept.Count > 0; round++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                flushed = (await UnrecordedAsync(database, kept.ToDictionary(n => (Run(n), $"c{n}"), _ => 1), cancellationToken)).Count == 0 ? kept.Count : 0;
                if (flushed > 0)
                {
                    break;
                }
            }

            // 4. Retry what is still not answered 2xx.
            foreach (var n in Enumerable.Range(0, calls).Where(n => !Answered(n)))
            {
                await CallAsync(n);
            }

            await app.StopAsync(cancellationToken);
            var unrecorded = await UnrecordedAsync(database, counter.Executions, cancellationToken);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            using var reader = SqliteAuditReader.Open(database);
            var audit = reader.Verify();
            var all = answers.Values.SelectMany(q => q).Select(a => a.Answer).ToList();
            return new DiskFullResult(calls,
                all.GroupBy(a => a.Problem is null ? $"{a.Status}" : $"{a.Status} {a.Problem}").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                falseNothingChanged, counter.Executions.Count(e => e.Value > 1), outcomeMissing, kept.Count, replayedWhileFull, flushed,
                unrecorded.Count, Enumerable.Range(0, calls).Count(n => !Answered(n)), all.Count(a => a.Status >= 500 && a.Status != 503), audit.IsIntact, audit.EventsChecked);
        }
    }

    /// <summary>The calls among <paramref name="executed"/> whose tool_call, decision and tool_result are not all in the store.</summary>
    private static async Task<List<(string Run, string Call)>> UnrecordedAsync(string database, IReadOnlyDictionary<(string Run, string Call), int> executed, CancellationToken cancellationToken)
    {
        await using var store = await SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = database }, cancellationToken: cancellationToken);
        var missing = new List<(string, string)>();
        foreach (var group in executed.Keys.GroupBy(k => k.Run))
        {
            var events = (await store.GetRunAsync("default", group.Key, cancellationToken))?.Events ?? [];
            missing.AddRange(group.Where(k => !events.OfType<ToolCallEvent>().Any(e => e.Call.Id == k.Call)
                || !events.OfType<DecisionEvent>().Any(e => e.CallId == k.Call) || !events.OfType<ToolResultEvent>().Any(e => e.Result.CallId == k.Call)));
        }

        return missing;
    }
}
