using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Keel.Cli.Commands;
using Keel.Evals;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel eval</c> and <c>keel eval build-suite</c> on the shipped airline pack, suite and runs (docs/evals.md).</summary>
[Collection(CliSerial.Name)]
public sealed class EvalCommandTests : IDisposable
{
    private const string NotFlown = "airline.cancel.not-flown";

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-eval-cli-").FullName;

    private static string AirlineSuite => Path.Combine(RepoPaths.Root, "samples", "evals", "tau-bench-airline.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Eval_ShippedAirlineSuiteAgainstItself_ExitsZeroAndWritesEveryReport()
    {
        var reports = Path.Combine(_dir, "reports");

        var (exit, text, _) = await KeelAsync("eval", AirlineSuite, "--agent", RepoPaths.AirlineBundle, "--baseline", RepoPaths.AirlineBundle,
            "--json", Path.Combine(reports, "eval.json"), "--html", Path.Combine(reports, "eval.html"), "--junit", Path.Combine(reports, "junit.xml"), "--parallelism", "2");

        exit.ShouldBe(0, text);
        text.ShouldContain("Suite tau-bench-airline: 96 cases under tau-airline 1.0.0 (policy 2024-05-15.1)");
        text.ShouldContain("59.4 % [49.4, 68.7] (57/96)");
        text.ShouldContain("Gate: PASS");
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "eval.json"), TestContext.Current.CancellationToken)))
        {
            var root = json.RootElement;
            root.GetProperty("cases").GetArrayLength().ShouldBe(96);
            root.GetProperty("summary").GetProperty("passed").GetInt32().ShouldBe(57);
            root.GetProperty("gate").GetProperty("failed").GetBoolean().ShouldBeFalse();
            root.GetProperty("gate").GetProperty("regressions").GetArrayLength().ShouldBe(0);
        }

        (await File.ReadAllTextAsync(Path.Combine(reports, "eval.html"), TestContext.Current.CancellationToken)).ShouldStartWith("<!doctype html>");
        var junit = await File.ReadAllBytesAsync(Path.Combine(reports, "junit.xml"), TestContext.Current.CancellationToken);
        Encoding.ASCII.GetString(junit, 0, 5).ShouldBe("<?xml", "JUnit XML without a byte order mark");
        var suite = XDocument.Parse(Encoding.UTF8.GetString(junit)).Root!.Element("testsuite")!;
        suite.Attribute("tests")!.Value.ShouldBe("97");
        suite.Attribute("failures")!.Value.ShouldBe("39");
        suite.Elements("testcase").Last().Attribute("name")!.Value.ShouldBe("release-gate");
        suite.Elements("testcase").Last().Element("failure").ShouldBeNull();
    }

    [Fact]
    public async Task Eval_PackWithoutNotFlownRuleAgainstShippedPack_ExitsNineNamingTheRegressedCases()
    {
        var pack = await CopyWithoutRuleAsync(RepoPaths.AirlineBundle, NotFlown, Path.Combine(_dir, "packs", "no-not-flown"));
        var json = Path.Combine(_dir, "eval.json");

        var (exit, text, _) = await KeelAsync("eval", AirlineSuite, "--agent", pack, "--baseline", RepoPaths.AirlineBundle, "--json", json, "--parallelism", "2");

        exit.ShouldBe(9, text);
        text.ShouldContain("McNemar (mcnemar-exact): 6 regressed, 0 improved, p = 0.03125");
        text.ShouldContain("Gate: FAIL");
        text.ShouldContain("tau-airline-t28-r0");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
        var gate = report.RootElement.GetProperty("gate");
        gate.GetProperty("failed").GetBoolean().ShouldBeTrue();
        gate.GetProperty("regressions").EnumerateArray().Select(r => r.GetString()).ShouldBe(
            ["tau-airline-t28-r0", "tau-airline-t29-r1", "tau-airline-t28-r2", "tau-airline-t29-r2", "tau-airline-t28-r3", "tau-airline-t29-r3"]);
        gate.GetProperty("mc_nemar").GetProperty("p_value").GetDouble().ShouldBe(0.03125, 1e-12);
    }

    [Fact]
    public async Task Eval_PackWithoutNotFlownRuleAndNoBaseline_ExitsZero()
    {
        var pack = await CopyWithoutRuleAsync(RepoPaths.AirlineBundle, NotFlown, Path.Combine(_dir, "packs", "no-not-flown"));

        var (exit, text, _) = await KeelAsync("eval", AirlineSuite, "--agent", pack, "--parallelism", "2");

        exit.ShouldBe(0, text);
        text.ShouldContain("53.1 % [43.2, 62.8] (51/96)");
        text.ShouldNotContain("Gate:");
    }

    [Fact]
    public async Task Eval_MissingSuiteFile_ExitsTwoNamingThePath()
    {
        var missing = Path.Combine(_dir, "no-such-suite.json");

        var (exit, text, _) = await KeelAsync("eval", missing, "--agent", RepoPaths.AirlineBundle);

        exit.ShouldBe(2, text);
        text.ShouldContain($"error: no eval suite at '{missing}'");
    }

    [Fact]
    public async Task Eval_BrokenSuiteFile_ExitsTwoNamingTheFileAndLine()
    {
        var broken = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(broken, "{\n  \"suite\": \"broken\",\n  \"cases\": [ { \"id\": 3 } ]\n}\n", TestContext.Current.CancellationToken);

        var (exit, text, _) = await KeelAsync("eval", broken, "--agent", RepoPaths.AirlineBundle);

        exit.ShouldBe(2, text);
        text.ShouldContain($"error: {broken}:3: $.cases[0].id: not a valid eval suite");
    }

    [Theory]
    [InlineData("--margin", "-1")]
    [InlineData("--alpha", "1.5")]
    public async Task Eval_MarginOrAlphaOutOfRange_ExitsTwo(string option, string value)
    {
        var (exit, text, _) = await KeelAsync("eval", AirlineSuite, "--agent", RepoPaths.AirlineBundle, option, value);

        exit.ShouldBe(2, text);
        text.ShouldContain("error: --margin is in percentage points");
    }

    [Fact]
    public async Task BuildSuite_Tau2AirlineRuns_WritesASuiteThatLoadsAndRuns()
    {
        var runs = Path.Combine(RepoPaths.Root, "samples", "runs", "tau2-bench", "gpt-4.1_airline_default_gpt-4.1_1trials.json");
        var bundle = Path.Combine(RepoPaths.Root, "samples", "tau2-airline");
        var output = Path.Combine(_dir, "suites", "tau2-airline.json");

        var (exit, text, _) = await KeelAsync("eval", "build-suite", runs, "--agent", bundle, "--out", output);

        exit.ShouldBe(0, text);
        text.ShouldContain("Suite tau2-airline: 9 cases from 12 runs (3 left out, 0 records skipped)");
        var suite = await EvalSuiteFile.ReadAsync(output, TestContext.Current.CancellationToken);
        suite.Suite.ShouldBe("tau2-airline");
        suite.Cases.Count.ShouldBe(9);
        suite.GeneratedBy.ShouldBe($"keel eval build-suite {runs} --agent {bundle} --out {output}");
        var shipped = await EvalSuiteFile.ReadAsync(Path.Combine(RepoPaths.Root, "samples", "evals", "tau2-airline.json"), TestContext.Current.CancellationToken);
        suite.Cases.Select(c => (c.Id, c.ExpectedOutcome, string.Join(",", c.Checks))).ShouldBe(shipped.Cases.Select(c => (c.Id, c.ExpectedOutcome, string.Join(",", c.Checks))));
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(output)!, suite.Cases[0].RunFile)).ShouldBe(runs);

        var (evalExit, evalText, _) = await KeelAsync("eval", output, "--agent", bundle, "--parallelism", "2");

        evalExit.ShouldBe(0, evalText);
        evalText.ShouldContain("Suite tau2-airline: 9 cases");
    }

    [Fact]
    public async Task BuildSuite_MissingRunFile_ExitsTwoNamingThePath()
    {
        var missing = Path.Combine(_dir, "no-runs.json");

        var (exit, text, _) = await KeelAsync("eval", "build-suite", missing, "--agent", RepoPaths.AirlineBundle, "--out", Path.Combine(_dir, "suite.json"));

        exit.ShouldBe(2, text);
        text.ShouldContain($"error: no run file or folder at '{missing}'");
        File.Exists(Path.Combine(_dir, "suite.json")).ShouldBeFalse();
    }

    /// <summary>Copies a bundle with one policy rule removed, as bench/evals/without-rule.sh does: the rule's block runs from its
    /// <c>  - id: &lt;rule&gt;</c> line to the next rule or section comment (<c>  # -</c>).</summary>
    internal static async Task<string> CopyWithoutRuleAsync(string bundle, string ruleId, string output)
    {
        foreach (var file in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(output, Path.GetRelativePath(bundle, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var kept = new List<string>();
        var skip = false;
        var lines = await File.ReadAllLinesAsync(Path.Combine(bundle, "policies.yaml"), TestContext.Current.CancellationToken);
        foreach (var line in lines)
        {
            if (line.StartsWith("  - id: ", StringComparison.Ordinal))
            {
                skip = line["  - id: ".Length..].Trim() == ruleId;
            }
            else if (line.StartsWith("  # -", StringComparison.Ordinal))
            {
                skip = false;
            }

            if (!skip)
            {
                kept.Add(line);
            }
        }

        kept.Count.ShouldBeLessThan(lines.Length, $"no rule {ruleId} in {bundle}");
        await File.WriteAllLinesAsync(Path.Combine(output, "policies.yaml"), kept, TestContext.Current.CancellationToken);
        return output;
    }

    private static Task<(int Exit, string Text, string Stderr)> KeelAsync(params string[] args) => CliRun.KeelAsync(args);
}
