using System.Globalization;

namespace Keel.Benchmarks.Overhead;

/// <summary>The options of <c>overhead</c>.</summary>
/// <param name="Rates">The arrival rates to measure, calls per second of each path, in order.</param>
/// <param name="Seconds">Measured seconds per path and rate.</param>
/// <param name="WarmupSeconds">Unmeasured seconds per path before each rate.</param>
/// <param name="BlockMs">How long one path is driven before the next takes over (the paths alternate in blocks).</param>
/// <param name="MaxInFlight">Calls of one path outstanding at once; an arrival beyond it is counted as dropped, not queued.</param>
/// <param name="ProbeCount">Requests of each kind in the closed-loop floors (<see cref="OverheadProbe"/>); 0 for none.</param>
/// <param name="CallsPerRun">Keel paths: tool calls per run before the next run is used (the tau-airline budget allows 30).</param>
internal sealed record OverheadOptions(IReadOnlyList<int> Rates, int Seconds = 20, int WarmupSeconds = 3, int BlockMs = 1000, int MaxInFlight = 256, int CallsPerRun = 25, int ProbeCount = 500)
{
    public const string Usage = "usage: overhead [--rate R[,R...] (calls/s per path; default 1000)] [--seconds S (default 20)] [--warmup S (default 3)] [--block-ms MS (default 1000)] [--max-in-flight N (default 256)] [--probe N (floors: N requests of each kind one at a time; default 500, 0 for none)]";

    public static OverheadOptions? Parse(string[] args)
    {
        var options = new OverheadOptions([1000]);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--rate" when value is not null && Ints(value) is { Length: > 0 } rates && rates.All(r => r > 0):
                    options = options with { Rates = rates };
                    break;
                case "--seconds" when Int(value) is > 0 and var seconds:
                    options = options with { Seconds = seconds };
                    break;
                case "--warmup" when Int(value) is >= 0 and var warmup:
                    options = options with { WarmupSeconds = warmup };
                    break;
                case "--block-ms" when Int(value) is >= 100 and var block:
                    options = options with { BlockMs = block };
                    break;
                case "--probe" when Int(value) is >= 0 and var probe:
                    options = options with { ProbeCount = probe };
                    break;
                case "--max-in-flight" when Int(value) is > 0 and var bound:
                    options = options with { MaxInFlight = bound };
                    break;
                default:
                    return null;
            }

            i++;
        }

        return options;
    }

    private static int? Int(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int[] Ints(string text) => [.. text.Split(',').Select(t => Int(t) ?? -1)];
}
