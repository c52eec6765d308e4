using System.Globalization;
using Keel.Drift;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>Prints a drift report (one row per metric) and a false-alarm measurement.</summary>
internal static class DriftOutput
{
    public static void Write(IAnsiConsole console, DriftReport report)
    {
        console.WriteLine(F($"Drift: {report.CurrentRuns} current runs against a baseline of {report.BaselineRuns} ({string.Join(", ", report.Agents)}); ")
            + F($"{report.MetricsTested} metrics tested, Benjamini-Hochberg q = {report.FalseDiscoveryRate}, at least {report.MinRuns} runs per side")
            + (report.CallsIndependent ? "; calls and messages treated as independent" : string.Empty));
        var table = new Table().AddColumns("metric", "baseline", "current", "effect", "test", "p", "adjusted p", "verdict");
        foreach (var m in report.Metrics)
        {
            table.AddRow(
                Markup.Escape(m.Name),
                Markup.Escape(m.Baseline.Display),
                Markup.Escape(m.Current.Display),
                Markup.Escape(Effect(m)),
                Markup.Escape(m.Test ?? "-"),
                P(m.PValue),
                P(m.AdjustedPValue),
                Verdict(m.Verdict));
        }

        console.Write(table);
        foreach (var m in report.Metrics.Where(m => m.Note is not null))
        {
            console.WriteLine($"  {m.Name}: {m.Note}");
        }

        var drifted = report.Metrics.Where(m => m.Verdict == DriftVerdict.Drifted).Select(m => m.Name).ToList();
        console.WriteLine(drifted.Count == 0 ? "No metric drifted." : $"Drifted: {string.Join(", ", drifted)}.");
    }

    public static void Write(IAnsiConsole console, SplitTrials trials)
    {
        console.WriteLine(F($"False alarms: {trials.SplitsWithAlarm} of {trials.Trials} random splits of {trials.Runs} runs into halves alarmed ")
            + F($"({trials.AlarmRate.Estimate * 100:0.0} %, 95 % Wilson [{trials.AlarmRate.Lower * 100:0.0}, {trials.AlarmRate.Upper * 100:0.0}] %); ")
            + F($"stated rate q = {trials.FalseDiscoveryRate}; seed {trials.Seed}{(trials.CallsIndependent ? "; calls and messages treated as independent" : string.Empty)}."));
        console.WriteLine(F($"Without the correction (any raw p < q): {trials.SplitsWithRawPBelowQ} of {trials.Trials}."));
        var table = new Table().AddColumns("metric", "splits alarmed", "splits not tested");
        foreach (var (name, alarms) in trials.AlarmsPerMetric)
        {
            table.AddRow(Markup.Escape(name), alarms.ToString(CultureInfo.InvariantCulture), trials.UntestedPerMetric[name].ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    /// <summary>A difference with its sign (current − baseline); a distance (KS D, JS) without one.</summary>
    private static string Effect(MetricDrift m) => m.Effect is not { } e ? "-"
        : m.EffectName == "difference" ? F($"{m.EffectName} {e:+0.###;-0.###;0}")
        : F($"{m.EffectName} {e:0.###}");

    private static string P(double? p) => p is { } v ? v < 0.0001 ? "<0.0001" : v.ToString("0.####", CultureInfo.InvariantCulture) : "-";

    private static string Verdict(DriftVerdict verdict) => verdict switch
    {
        DriftVerdict.Drifted => "[red]drifted[/]",
        DriftVerdict.NoDrift => "no drift",
        DriftVerdict.NotEnoughRuns => "not enough runs",
        DriftVerdict.NotRecorded => "not recorded",
        _ => "not tested",
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
