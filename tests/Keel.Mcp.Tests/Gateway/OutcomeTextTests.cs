using System.Text.Json;
using Keel.Sdk.Api;
using Keel.Mcp.Upstream;
using ModelContextProtocol.Protocol;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Gateway;

/// <summary>What the model reads for outcomes the end-to-end tests do not reach, and how upstream content becomes text.</summary>
public sealed class OutcomeTextTests
{
    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().Single().Text;

    [Fact]
    public void Summary_LongPatch_StopsNearSixHundredCharactersAndCountsTheRest()
    {
        var value = JsonDocument.Parse("\"" + new string('x', 100) + "\"").RootElement;
        var patch = Enumerable.Range(0, 20).Select(i => new ApiPatchOperation("replace", $"/items/{i}/note", value)).ToList();

        var summary = OutcomeText.Summary(patch);

        summary.Length.ShouldBeLessThan(700);
        summary.ShouldStartWith($"replace /items/0/note with \"{new string('x', 100)}\"; replace /items/1/note");
        summary.ShouldEndWith("; and 16 more changes");
    }

    [Fact]
    public void ToResult_PlanHeldWithAnApproval_NamesTheApprovalAndThePlan()
    {
        var outcome = new ApiToolCallOutcome("c1", new ApiDecision(ApiDecisionKinds.RequirePlan, "plan_gate", "r", "1", "reviewed first"),
            new ApiToolResult(ApiToolResult.NotExecuted, string.Empty), Pending("apr_1", new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.FromHours(1))),
            new ApiPlan([new ApiPatchOperation("move", "/b", From: "/a")], "sha256:1"));

        var result = OutcomeText.ToResult(outcome);

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe("Keel is holding this call until a person reviews its plan (it would move /a to /b) for approval apr_1 (expires 2025-03-01T11:00:00Z). "
            + "Ask the user to wait; keel_approval_status with approval_id \"apr_1\" tells whether a person approved it; once approved, make exactly the same call again.");
    }

    [Fact]
    public void ToResult_UnknownDecisionKind_FailsClosedWithoutTheOutput()
    {
        var outcome = new ApiToolCallOutcome("c1", new ApiDecision("quarantine", "policy", null, null, "new kind"), new ApiToolResult(ApiToolResult.Success, "secret output"));

        var result = OutcomeText.ToResult(outcome);

        result.IsError.ShouldBe(true);
        Text(result).ShouldBe("Keel did not run this call: it answered the unknown decision 'quarantine': new kind");
    }

    [Fact]
    public void Of_MixedContent_JoinsTextAndNamesWhatItCannotShow()
    {
        var result = new CallToolResult
        {
            Content =
            [
                new TextContentBlock { Text = "first" },
                new ImageContentBlock { Data = "aGk="u8.ToArray(), MimeType = "image/png" },
                new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "file:///a.txt", Text = "resource text" } },
            ],
        };

        CallToolResultText.Of(result).ShouldBe("first\n[image content (image/png) not shown]\nresource text");
    }

    [Fact]
    public void Of_OnlyStructuredContent_ReturnsItsJson()
    {
        var result = new CallToolResult { Content = [], StructuredContent = JsonDocument.Parse("""{"ok":true}""").RootElement };

        CallToolResultText.Of(result).ShouldBe("""{"ok":true}""");
    }

    private static ApiApproval Pending(string id, DateTimeOffset expiresAt) =>
        new(id, "run_1", "c1", "refund", default, null, "pending", 1, [], null, null, expiresAt.AddHours(-1), expiresAt);
}
