using System.Text.RegularExpressions;
using Keel.Core.Tests.Gateway;
using Keel.Importers;
using Keel.Model;
using Keel.Reports;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Replay;

public sealed partial class HtmlReportWriterTests
{
    private const string Hostile = "<script>alert('keel')</script>";

    [Fact]
    public async Task Render_ShippedSampleReport_IsOneSelfContainedDocument()
    {
        var html = HtmlReportWriter.Render(await AirlineSample.ReportAsync());

        html.ShouldStartWith("<!doctype html><html lang=\"en\">");
        html.ShouldEndWith("</body></html>");
        Regex.Count(html, "<html").ShouldBe(1);
        Regex.Count(html, "<body").ShouldBe(1);
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<link", Case.Insensitive);
        html.ShouldNotContain("<iframe", Case.Insensitive);
        ExternalReference().Matches(html).Select(m => m.Value).ShouldBeEmpty();
        html.ShouldContain("<svg role=\"img\"");
        html.ShouldContain("airline.cancel.eligibility");
        html.ShouldContain("tau-airline-t41-r0");
    }

    [Fact]
    public void Render_HostileTextInEveryKindOfField_IsHtmlEncoded()
    {
        var agent = GatewayKit.Agent() with { AgentName = Hostile, Model = "m<b>odel" };
        var empty = new ReportBuilder(agent).Build(DateTimeOffset.UnixEpoch, 1, [new SkippedRecord("runs<1>.json", 3, "$[3].traj", "bad \"record\" & " + Hostile)]);
        var report = empty with
        {
            Examples = empty.Examples with
            {
                UnsafeWritesHeld = [new CallExample("run\"><img src=x onerror=alert(1)>", "cancel_reservation",
                    """{"reservation_id": "</td></tr></table><script>steal()</script>"}""", "deny", "rule<x>", "because <i>policy</i>", 0)],
                ClaimResultMismatches = [new FindingExample("r1", "the assistant said \"" + Hostile + "\"", [4, 7])],
                Handoffs = [new HandoffPacket
                {
                    RunId = "r2", Reason = Hostile, CustomerAsk = "please <cancel> & refund", ConversationTail = [], ToolCalls = [], WhatFailed = [],
                    SuggestedNextAction = "call </style><script>x()</script>", TargetTeam = "t&t", Priority = "p1",
                }],
            },
        };

        var html = HtmlReportWriter.Render(report);

        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("<img", Case.Insensitive);
        html.ShouldNotContain("<i>policy</i>");
        html.ShouldContain("call &lt;/style&gt;&lt;script&gt;x()&lt;/script&gt;");
        html.ShouldContain("&lt;script&gt;alert(&#39;keel&#39;)&lt;/script&gt;");
        html.ShouldContain("<code>{&quot;reservation_id&quot;: &quot;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;steal()&lt;/script&gt;&quot;}</code>");
        html.ShouldContain("please &lt;cancel&gt; &amp; refund");
        html.ShouldContain("runs&lt;1&gt;.json");
        html.ShouldContain("m&lt;b&gt;odel");
        Regex.Count(html, "<table>").ShouldBe(Regex.Count(html, "</table>"));
    }

    /// <summary>Any src or href attribute, or a CSS url(), that would load something from outside the file.</summary>
    [GeneratedRegex(@"\b(src|href)\s*=|url\(|@import", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
