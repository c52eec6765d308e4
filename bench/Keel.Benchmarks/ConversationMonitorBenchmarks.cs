using BenchmarkDotNet.Attributes;
using Keel.Bundles;
using Keel.Importers;
using Keel.Model;
using Keel.Monitors;
using Keel.Replay;

namespace Keel.Benchmarks;

/// <summary>
/// What the conversation-intelligence monitors (customer sentiment, escalation rules, conversation tags; no embeddings) cost on
/// the shipped tau2-bench telecom sample (29 runs, <c>samples/runs/tau2-bench</c>, bundle <c>samples/tau2-telecom</c>): every
/// recorded event of every run fed through <see cref="RunMonitors"/> into a fresh run, then <see cref="RunMonitors.Complete"/>.
/// One invocation is the whole sample; divide by the customer messages it holds (printed by the setup) for the cost per message.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="Yardstick_VaderEachCustomerMessageOnce"/>: VADER alone, each customer message scored once — the floor of any
/// sentiment-reading monitor, and a fixed yardstick for comparing runs on a noisy machine.</item>
/// <item><see cref="Feed_NoMonitors"/>: the harness alone (fresh runs, appends): subtract it from the other rows.</item>
/// <item><see cref="Intelligence_SharedSignals"/>: the standard layout, three monitors over one <see cref="SentimentMonitor"/>, so one
/// signal set per run.</item>
/// <item><see cref="Intelligence_SignalSetPerMonitor"/>: the same three monitors each over its own <see cref="SentimentMonitor"/>, so
/// three signal sets per run and each customer message scored three times, as every monitor did before the sets were shared.</item>
/// </list>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class ConversationMonitorBenchmarks
{
    private AgentVersion _agent = null!;
    private List<(Run Run, RunEvent[] Events)> _runs = null!;
    private string[] _customerMessages = null!;
    private IRunMonitor[] _shared = null!;
    private IRunMonitor[] _perMonitor = null!;
    private SentimentMonitor _yardstick = null!;

    [GlobalSetup]
    public void Setup()
    {
        _agent = AgentBundleLoader.Load(RepoPaths.Sample("tau2-telecom"));
        var file = RepoPaths.Sample("runs", "tau2-bench", "gpt-4.1_telecom_default_gpt-4.1_1trials.json");
        var diagnostics = new ImportDiagnostics();
        var engine = new ReplayEngine(_agent, monitors: []);
        _runs = [];
        foreach (var recorded in ReadAllAsync(file, diagnostics).GetAwaiter().GetResult())
        {
            var run = DecisionFixture.Sync(engine.ReplayAsync(recorded)).Run;
            _runs.Add((run, [.. run.Events.Where(e => e is not (FindingEvent or HandoffEvent))]));
        }

        _customerMessages = [.. _runs.SelectMany(r => r.Events).OfType<MessageEvent>().Where(m => m.Role == MessageRole.User && m.Content.Length > 0).Select(m => m.Content)];
        var sentiment = new SentimentMonitor();
        _shared = [sentiment, new EscalationMonitor(sentiment), new ConversationTagMonitor(sentiment)];
        _perMonitor = [new SentimentMonitor(), new EscalationMonitor(new SentimentMonitor()), new ConversationTagMonitor(new SentimentMonitor())];
        _yardstick = new SentimentMonitor();

        // Both layouts must find the same: the sharing changes the cost, never a finding.
        var shared = Findings(_shared);
        var perMonitor = Findings(_perMonitor);
        if (!shared.SequenceEqual(perMonitor, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"the shared and per-monitor layouts disagree: {shared.Count} against {perMonitor.Count} findings");
        }

        Console.WriteLine($"// {_runs.Count} runs, {_runs.Sum(r => r.Events.Length)} events, {_customerMessages.Length} customer messages, {shared.Count} findings per invocation");
    }

    [Benchmark(Baseline = true)]
    public double Yardstick_VaderEachCustomerMessageOnce()
    {
        var sum = 0.0;
        foreach (var text in _customerMessages)
        {
            sum += _yardstick.Compound(text);
        }

        return sum;
    }

    [Benchmark]
    public int Feed_NoMonitors() => Feed([]).Count;

    [Benchmark]
    public int Intelligence_SharedSignals() => Feed(_shared).Count;

    [Benchmark]
    public int Monitor_SentimentOnly() => Feed(_shared[..1]).Count;

    [Benchmark]
    public int Monitor_SentimentAndEscalation() => Feed(_shared[..2]).Count;

    [Benchmark]
    public int Monitor_SentimentAndTags() => Feed([_shared[0], _shared[2]]).Count;

    [Benchmark]
    public int Intelligence_SignalSetPerMonitor() => Feed(_perMonitor).Count;

    private static async Task<List<RecordedRun>> ReadAllAsync(string file, ImportDiagnostics diagnostics)
    {
        var runs = new List<RecordedRun>();
        await foreach (var run in RunImporters.Default.Find(file).ReadAsync(file, diagnostics))
        {
            runs.Add(run);
        }

        return runs.Count > 0 && diagnostics.SkippedCount == 0 ? runs : throw new InvalidOperationException($"{file}: {runs.Count} runs, {diagnostics.SkippedCount} skipped");
    }

    private List<string> Findings(IRunMonitor[] monitors) => [.. Feed(monitors).Select(f => $"{f.Type} {f.Message} {string.Join(',', f.EventSequences)} {f.Confidence}")];

    private List<Finding> Feed(IRunMonitor[] monitors)
    {
        var findings = new List<Finding>();
        foreach (var (recorded, events) in _runs)
        {
            var run = new Run(recorded.Id, recorded.WorkspaceId, recorded.AgentName, recorded.AgentVersion, recorded.StartedAt, recorded.Channel);
            var watching = new RunMonitors(run, _agent, monitors);
            foreach (var runEvent in events)
            {
                watching.Observe(run.Append(runEvent));
            }

            watching.Complete(events[^1].Timestamp);
            findings.AddRange(watching.Findings);
        }

        return findings;
    }
}
