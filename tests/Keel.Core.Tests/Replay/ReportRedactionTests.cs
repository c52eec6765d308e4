using System.Text.Json;
using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Redaction;
using Keel.Replay;
using Keel.Reports;
using Keel.Storage;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Replay;

/// <summary>report.json and report.html carry the same redacted text as the store: the tau2 telecom sample's calls name the
/// customer's phone number.</summary>
public sealed class ReportRedactionTests
{
    private const string Phone = "555-123-2002";

    [Fact]
    public async Task RunAsync_TelecomSample_ReportExamplesRedacted()
    {
        var (json, html) = await ReplayAsync(Redactor.Default);

        json.ShouldNotContain(Phone);
        html.ShouldNotContain(Phone);
        json.ShouldContain("[redacted:phone]");
    }

    [Fact]
    public async Task RunAsync_RedactionOff_ReportKeepsTheRecordedText()
    {
        var (json, _) = await ReplayAsync(null);

        json.ShouldContain(Phone);
    }

    private static async Task<(string Json, string Html)> ReplayAsync(Redactor? redactor)
    {
        var agent = AgentBundleLoader.Load(RepoPaths.Sample("tau2-telecom"));
        var job = new ReplayJob(agent, new InMemoryRunStore(redactor)) { Parallelism = 2, Redactor = redactor };

        var report = await job.RunAsync([RepoPaths.Sample("runs", "tau2-bench", "gpt-4.1_telecom_default_gpt-4.1_1trials.json")], cancellationToken: TestContext.Current.CancellationToken);

        return (JsonSerializer.Serialize(report, ReportJsonContext.Default.ReplayReport), HtmlReportWriter.Render(report));
    }
}
