using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Core.Tests.Importers;
using Keel.Importers;
using Keel.Model;
using Keel.Monitors;
using Keel.Replay;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Monitors;

/// <summary>Each BFCL error type on a fixture item (TestData/importers/bfcl, some calls hand-edited: see its README), replayed
/// with the shipped <c>samples/bfcl</c> bundle, which takes its tools from each run.</summary>
public sealed class CallFindingTests
{
    private static readonly Lazy<Task<Dictionary<string, ReplayedRun>>> _replayed = new(async () =>
    {
        var engine = new ReplayEngine(AgentBundleLoader.Load(RepoPaths.Sample("bfcl")));
        var diagnostics = new ImportDiagnostics();
        var runs = new Dictionary<string, ReplayedRun>(StringComparer.Ordinal);
        await foreach (var run in RunImporters.Default.ReadAsync(ImporterFixtures.Path("bfcl", "model_results", "glyphh-ada-1.1"), diagnostics))
        {
            runs.Add(run.Id, await engine.ReplayAsync(run));
        }

        return diagnostics.SkippedCount == 0 ? runs : throw new InvalidOperationException(string.Join("; ", diagnostics.Skipped));
    });

    private static async Task<List<Finding>> CallFindingsAsync(string item) =>
        [.. (await _replayed.Value)["bfcl-" + item].Findings.Where(f => CallFindingTypes.IsCallFinding(f.Type))];

    [Theory]
    [InlineData("simple_python_2", "wrong_type", "math.hypot: $.x: 'x' has the wrong type")] // type_error:simple
    [InlineData("simple_python_79", "wrong_type", "create_histogram: $.data[1]: '$.data[1]' has the wrong type: integer expected")] // type_error:nested
    [InlineData("simple_python_3", "missing_argument", "algebra.quadratic_roots: $.c: missing required field 'c'")]
    [InlineData("simple_python_4", "extra_argument", "solve_quadratic_equation: $.precision: unknown field 'precision'")]
    [InlineData("simple_python_8", "wrong_function", "geometry.circle_area: $: 'geometry.circle_area' is not among the offered functions (geometry.area_circle)")]
    [InlineData("simple_python_37", "unparseable_arguments", "route.estimate_time: $: arguments are not valid JSON")]
    [InlineData("irrelevance_4", "missing_argument", "find_roots: $.a: missing required field 'a'; $.b: missing required field 'b'; $.c: missing required field 'c'")] // irrelevance_error:decoder_success
    public async Task Replay_WrongCall_RaisesOneFindingOfItsType(string item, string findingType, string message)
    {
        var finding = (await CallFindingsAsync(item)).ShouldHaveSingleItem();

        finding.Type.ShouldBe(findingType);
        finding.Message.ShouldStartWith(message);
        finding.Severity.ShouldBe(FindingSeverity.High);
        finding.Monitor.ShouldBe("malformed_call");
        finding.EventSequences.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Replay_IrrelevantCallWithNothingFromTheRequest_IsAlsoNoFunctionFits()
    {
        // irrelevance_119: "Tell me a famous quote about life." answered with sentiment_analysis({}).
        var findings = await CallFindingsAsync("irrelevance_119");

        findings.Select(f => f.Type).ShouldBe(["no_function_fits", "missing_argument"]);
        findings[0].Message.ShouldBe("no offered function fits the request: sentiment_analysis shares no content word with it (name, description, parameters) and the call has no argument values");
        findings[0].Severity.ShouldBe(FindingSeverity.Medium);
    }

    [Theory]
    [InlineData("simple_python_0")]
    [InlineData("simple_python_71")]
    [InlineData("parallel_7")]
    [InlineData("irrelevance_1")]
    [InlineData("live_simple_71-35-0")] // enum on an array, moved to its items
    [InlineData("live_simple_13-3-9")] // a request in Chinese: the relevance rule abstains
    public async Task Replay_ValidCall_RaisesNoCallFinding(string item)
    {
        var replayed = (await _replayed.Value)["bfcl-" + item];

        // Sentiment and conversation tags (topic, outcome) classify every conversation, valid calls or not; no other finding may appear.
        replayed.Findings.Where(f => f.Monitor is not ("sentiment" or "conversation_tags")).ShouldBeEmpty();
        replayed.Findings.ShouldNotContain(f => f.Type == TagTypes.OutcomeFailed);
        replayed.Calls.ShouldAllBe(c => c.Decision.Kind == DecisionKind.Allow);
        replayed.Recorded.Labels.Calls.ShouldBe(CallLabel.ValidCalls);
    }

    [Fact]
    public async Task Replay_IntegersInAnArrayOfFloats_AreNotFlagged()
    {
        // simple_python_13 is BFCL's type_error:nested for interval [1, 3] (answer key [1.0, 3.0]); Keel accepts integers where a
        // float is declared (BfclSchemaConverter), so this label is one the call checks do not reach.
        (await CallFindingsAsync("simple_python_13")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Replay_SchemaDenial_IsTheDecisionTheFindingExplains()
    {
        var replayed = (await _replayed.Value)["bfcl-simple_python_4"];

        var call = replayed.Calls.ShouldHaveSingleItem();
        call.Decision.Kind.ShouldBe(DecisionKind.Deny);
        call.Decision.RuleId.ShouldBe("schema.extra_field");
        call.ToolType.ShouldBe(Keel.Tools.ToolType.Read);
    }
}
