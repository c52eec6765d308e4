using BenchmarkDotNet.Attributes;
using Keel.Audit;
using Keel.Benchmarks.Throughput;
using Keel.Model;
using Keel.Redaction;
using Keel.Replay;
using Keel.Storage;

namespace Keel.Benchmarks;

/// <summary>
/// The CPU a stored run costs before the SQLite writer sees it (docs/benchmarks.md, "Audit chain and redaction"): its events
/// serialized (<see cref="RunEventJson"/>), then also redacted (<see cref="Redactor.Default"/>), then also chained
/// (<see cref="AuditHash.Event"/>), the work <c>PreparedRun</c> does outside the store's gate. The runs are the four shipped
/// tau recordings replayed once; every figure is per run (<see cref="Runs"/> runs per operation).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AuditBenchmarks
{
    /// <summary>Runs in the four shipped tau recordings (<see cref="Workload.LoadAllAsync"/>).</summary>
    public const int Runs = 232;

    private Run[] _runs = [];

    [GlobalSetup]
    public void Setup() => _runs = Replay();

    [Benchmark(Baseline = true, OperationsPerInvoke = Runs)]
    public int Serialize()
    {
        var length = 0;
        foreach (var run in _runs)
        {
            foreach (var e in run.Events)
            {
                length += RunEventJson.Serialize(e).Length;
            }
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = Runs)]
    public int SerializeRedacted()
    {
        var length = 0;
        foreach (var run in _runs)
        {
            foreach (var e in run.Events)
            {
                length += RunEventJson.Serialize(e, Redactor.Default).Length;
            }
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = Runs)]
    public int SerializeRedactedChained()
    {
        var length = 0;
        foreach (var run in _runs)
        {
            var previous = AuditHash.RunGenesis(run.WorkspaceId, run.Id);
            foreach (var e in run.Events)
            {
                var payload = RunEventJson.Serialize(e, Redactor.Default);
                previous = AuditHash.Event(previous, run.WorkspaceId, run.Id, e.Sequence, RunEventJson.KindName(e.Kind), e.Timestamp, payload);
                length += payload.Length;
            }
        }

        return length;
    }

    /// <summary>The shipped tau recordings, replayed once.</summary>
    internal static Run[] Replay()
    {
        var runs = new List<Run>();
        foreach (var workload in Workload.LoadAllAsync().GetAwaiter().GetResult())
        {
            var engine = new ReplayEngine(workload.Agent);
            runs.AddRange(workload.Runs.Select(recorded => engine.ReplayAsync(recorded).AsTask().GetAwaiter().GetResult().Run));
        }

        return runs.Count == Runs ? [.. runs] : throw new InvalidOperationException($"expected {Runs} runs in the tau recordings, found {runs.Count}");
    }
}

/// <summary>
/// <see cref="AuditBenchmarks.SerializeRedacted"/> with one detector on at a time, on the same runs: what each detector costs
/// on top of <see cref="Detector.None"/> (serializing through the redacting converter, which still tokenizes every JSON string
/// value). Per run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RedactionBenchmarks
{
    private Run[] _runs = [];
    private Redactor _redactor = null!;

    /// <summary>The detector switched on.</summary>
    public enum Detector
    {
        None,
        Emails,
        PaymentCards,
        PhoneNumbers,
        Secrets,
        All,
    }

    [Params(Detector.None, Detector.Emails, Detector.PaymentCards, Detector.PhoneNumbers, Detector.Secrets, Detector.All)]
    public Detector On { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _runs = AuditBenchmarks.Replay();
        _redactor = new Redactor(new RedactionOptions
        {
            Emails = On is Detector.Emails or Detector.All,
            PaymentCards = On is Detector.PaymentCards or Detector.All,
            PhoneNumbers = On is Detector.PhoneNumbers or Detector.All,
            Secrets = On is Detector.Secrets or Detector.All,
        });
    }

    [Benchmark(OperationsPerInvoke = AuditBenchmarks.Runs)]
    public int SerializeRedacted()
    {
        var length = 0;
        foreach (var run in _runs)
        {
            foreach (var e in run.Events)
            {
                length += RunEventJson.Serialize(e, _redactor).Length;
            }
        }

        return length;
    }
}
