using BenchmarkDotNet.Running;
using Keel.Benchmarks;
using Keel.Benchmarks.Throughput;

// dotnet run -c Release --project bench/Keel.Benchmarks -- --filter '*'          BenchmarkDotNet (Decision, Audit, Redaction)
// dotnet run -c Release --project bench/Keel.Benchmarks -- throughput [--runs N]  replay-throughput driver
// dotnet run -c Release --project bench/Keel.Benchmarks -- overhead [--rate 1000]  gateway overhead, open-loop load driver
// dotnet run -c Release --project bench/Keel.Benchmarks -- crash [--trials 10]      kill -9 under load (docs/reliability.md)
// dotnet run -c Release --project bench/Keel.Benchmarks -- diskfull                 disk full during writes (docs/reliability.md)
// dotnet run -c Release --project bench/Keel.Benchmarks -- ingest [--clients 8]     OTLP trace ingest into keel serve (docs/otlp-ingest.md)
// dotnet run -c Release --project bench/Keel.Benchmarks -- console [--runs 10000 --events 1000000]  console pages on a large store (docs/console.md)
if (args.Length > 0 && args[0] == "throughput")
{
    return await ThroughputDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "overhead")
{
    return await Keel.Benchmarks.Overhead.OverheadDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "crash")
{
    return await Keel.Benchmarks.Reliability.CrashDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "diskfull")
{
    return await Keel.Benchmarks.Reliability.DiskFullDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ingest")
{
    return await Keel.Benchmarks.Ingest.IngestDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "console")
{
    return await Keel.Benchmarks.ConsolePages.ConsoleDriver.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(DecisionBenchmarks).Assembly).Run(args);
return 0;
