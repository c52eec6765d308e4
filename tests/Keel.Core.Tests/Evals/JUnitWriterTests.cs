using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Keel.Evals;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Evals;

public sealed class JUnitWriterTests
{
    [Fact]
    public async Task WriteAsync_ReportWithAFailedCase_WritesOneTestcasePerCaseAndTheFailedCheckNames()
    {
        var document = await ParseAsync(Report(gate: null));

        var suites = document.Root.ShouldNotBeNull();
        suites.Name.LocalName.ShouldBe("testsuites");
        var suite = suites.Element("testsuite").ShouldNotBeNull();
        suite.Attribute("name")!.Value.ShouldBe("tiny");
        suite.Attribute("tests")!.Value.ShouldBe("3");
        suite.Attribute("failures")!.Value.ShouldBe("1");
        var cases = suite.Elements("testcase").ToList();
        cases.Select(c => c.Attribute("name")!.Value).ShouldBe(["run-pass", "run-fail", "run-handoff"]);
        cases.ShouldAllBe(c => c.Attribute("classname")!.Value == "tiny.airline");
        cases[0].Element("failure").ShouldBeNull();
        var failure = cases[1].Element("failure").ShouldNotBeNull();
        failure.Attribute("type")!.Value.ShouldBe("check");
        failure.Attribute("message")!.Value.ShouldBe("unexpected_writes_stopped: write not among the expected actions allowed: cancel_reservation (allow)");
        failure.Value.ShouldBe("unexpected_writes_stopped: write not among the expected actions allowed: cancel_reservation (allow)");
        failure.Value.ShouldNotContain(EvalChecks.ExpectedWritesAllowed);
        suite.Elements("properties").Elements("property").Single(p => p.Attribute("name")!.Value == "agent").Attribute("value")!.Value
            .ShouldBe("tau-airline 1.0.0 (policy 2024-05-15.1)");
    }

    [Fact]
    public async Task WriteAsync_FailedGate_AddsAFailedReleaseGateTestcaseNamingTheRegressedCases()
    {
        // Six cases that passed under the baseline fail under the candidate: exact McNemar p = 0.03125, the gate fails.
        var ids = Enumerable.Range(0, 6).Select(i => $"r{i}").ToList();
        var gate = EvalGate.Compare([.. ids.Select(id => Case(id, passed: false))], [.. ids.Select(id => Case(id, passed: true))]);
        gate.Failed.ShouldBeTrue(gate.Verdict);

        var suite = (await ParseAsync(Report(gate))).Root!.Element("testsuite")!;

        suite.Attribute("tests")!.Value.ShouldBe("4");
        suite.Attribute("failures")!.Value.ShouldBe("2");
        var release = suite.Elements("testcase").Last();
        release.Attribute("name")!.Value.ShouldBe("release-gate");
        var failure = release.Element("failure").ShouldNotBeNull();
        failure.Attribute("type")!.Value.ShouldBe("regression");
        failure.Attribute("message")!.Value.ShouldBe(gate.Verdict);
        failure.Value.ShouldBe("regressed cases: r0, r1, r2, r3, r4, r5");
    }

    [Fact]
    public async Task WriteAsync_PassingGate_AddsAPassingReleaseGateTestcase()
    {
        var gate = EvalGate.Compare([Case("a", passed: true)], [Case("a", passed: true)]);

        var release = (await ParseAsync(Report(gate))).Root!.Element("testsuite")!.Elements("testcase").Last();

        release.Attribute("name")!.Value.ShouldBe("release-gate");
        release.Element("failure").ShouldBeNull();
    }

    [Fact]
    public async Task WriteAsync_AnyReport_WritesUtf8WithoutByteOrderMark()
    {
        using var stream = new MemoryStream();

        await JUnitWriter.WriteAsync(Report(gate: null), stream, TestContext.Current.CancellationToken);

        var bytes = stream.ToArray();
        bytes.Take(5).ShouldBe("<?xml"u8.ToArray());
        var text = Encoding.UTF8.GetString(bytes);
        text.ShouldStartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        text.ShouldContain("run-pass");
    }

    [Fact]
    public async Task WriteAsync_UnderACommaDecimalCulture_WritesTimesInSecondsWithADecimalPoint()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CommaDecimalCulture();
        try
        {
            var suite = (await ParseAsync(Report(gate: null))).Root!.Element("testsuite")!;

            suite.Elements("testcase").First().Attribute("time")!.Value.ShouldBe("0.021");
            suite.Attribute("time")!.Value.ShouldBe("1.522");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static async Task<XDocument> ParseAsync(EvalReport report)
    {
        using var stream = new MemoryStream();
        await JUnitWriter.WriteAsync(report, stream, TestContext.Current.CancellationToken);
        stream.Position = 0;
        return await XDocument.LoadAsync(stream, LoadOptions.None, TestContext.Current.CancellationToken);
    }

    private static EvalReport Report(GateResult? gate)
    {
        CaseResult[] cases =
        [
            Case("run-pass", passed: true) with { ElapsedMs = 21.4 },
            new("run-fail", "airline", 0, EvalOutcomes.Stop, EvalOutcomes.Allow, false, 0.75,
                [new CheckResult(EvalChecks.ExpectedWritesAllowed, true, null),
                 new CheckResult(EvalChecks.UnexpectedWritesStopped, false, "write not among the expected actions allowed: cancel_reservation (allow)")], 500),
            Case("run-handoff", passed: true) with { ElapsedMs = 1000.6 },
        ];
        return new EvalReport
        {
            Suite = "tiny",
            Agent = "tau-airline 1.0.0 (policy 2024-05-15.1)",
            GeneratedAt = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero),
            Summary = EvalSummary.Of(cases),
            Gate = gate,
            Cases = cases,
        };
    }

    private static CaseResult Case(string id, bool passed) =>
        new(id, "airline", 1, EvalOutcomes.Allow, EvalOutcomes.Allow, passed, passed ? 1 : 0, [new CheckResult(EvalChecks.ExpectedWritesAllowed, passed, passed ? null : "expected write held: book_reservation (requireapproval)")]);

    /// <summary>A culture that writes 0,5 for one half, as de-DE does (built from the invariant culture: the tests run in
    /// globalization-invariant mode, where named cultures do not exist).</summary>
    private static CultureInfo CommaDecimalCulture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.PercentDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }
}
