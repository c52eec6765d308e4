using Keel.Policies;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies;

/// <summary>Every problem in a policy file is reported as <c>file:line:column</c> pointing at the offending text.</summary>
public sealed class PolicyLoaderDiagnosticsTests
{
    private const string Head = "policy: test\nversion: \"3\"\nrules:\n";

    private static PolicyLoadResult Parse(string rules, PolicyLoadOptions? options = null) => PolicyLoader.Parse(Head + rules, "policies.yaml", options);

    private static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";

    /// <summary>The text of the file from the diagnostic's position to the end of its line.</summary>
    private static string At(string rules, PolicyDiagnostic diagnostic)
    {
        var line = (Head + rules).Split('\n')[diagnostic.Line - 1];
        return line[(diagnostic.Column - 1)..];
    }

    [Fact]
    public void Parse_UnknownKind_PointsAtTheKindValue()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondtion",
            "    cite: c");

        var result = Parse(rules);

        result.Set.ShouldBeNull();
        var error = result.Diagnostics.ShouldHaveSingleItem();
        error.ToString().ShouldBe("policies.yaml:5:11: error: unknown rule kind 'precondtion'; use one of: tool_allow, tool_deny, parameter_constraint, "
            + "precondition, approval_threshold, confirmation_required, one_call_at_a_time, rate_limit, escalate, custom, data_flow, user_named, allow_list, user_intent");
        At(rules, error).ShouldBe("precondtion");
    }

    [Fact]
    public void Parse_DuplicateId_PointsAtTheSecondId()
    {
        var rules = Lines(
            "  - id: airline.cancel",
            "    kind: tool_deny",
            "    tools: [cancel_reservation]",
            "    cite: c",
            "  - id: airline.cancel",
            "    kind: tool_deny",
            "    tools: [book_reservation]",
            "    cite: c");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        error.IsError.ShouldBeTrue();
        (error.Line, error.Column).ShouldBe((8, 9));
        error.Message.ShouldBe("rule id 'airline.cancel' is used twice; rule ids must be unique");
    }

    [Fact]
    public void Parse_MissingRequire_PointsAtTheRule()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    tools: [cancel_reservation]",
            "    cite: c");

        var result = Parse(rules);

        var error = result.Diagnostics.ShouldHaveSingleItem();
        error.ToString().ShouldBe("policies.yaml:4:5: error: missing 'require'");
        result.Set.ShouldBeNull();
    }

    [Fact]
    public void Parse_BadOnFail_PointsAtTheValueAndListsTheChoices()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: tool_deny",
            "    tools: [cancel_reservation]",
            "    on_fail: block",
            "    cite: c");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        (error.Line, error.Column, error.IsError).ShouldBe((7, 14, true));
        error.Message.ShouldStartWith("unknown on_fail 'block'; use deny, require_approval, escalate, require_plan");
    }

    [Fact]
    public void Parse_CelErrorInPlainScalar_PointsAtTheOffendingCharacter()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    cite: c",
            "    require: args.amount >= )");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        error.ToString().ShouldBe("policies.yaml:7:29: error: in expression: unexpected ')'; expected an expression");
        At(rules, error).ShouldBe(")");
    }

    [Theory]
    [InlineData("\"args.amount >= )\"")]
    [InlineData("'args.amount >= )'")]
    public void Parse_CelErrorInQuotedScalar_PointsAtTheOffendingCharacterInsideTheQuotes(string quoted)
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    cite: c",
            "    require: " + quoted);

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        (error.Line, error.Column).ShouldBe((7, 30));
        At(rules, error)[0].ShouldBe(')');
    }

    [Fact]
    public void Parse_CelErrorOnTheSecondLineOfALiteralBlock_PointsAtTheOffendingCharacter()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    cite: c",
            "    require: |",
            "      args.amount > 0 &&",
            "      args.user_id == )");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        error.ToString().ShouldBe("policies.yaml:9:23: error: in expression: unexpected ')'; expected an expression");
        At(rules, error).ShouldBe(")");
    }

    [Fact]
    public void Parse_CelErrorOnAMoreIndentedLineOfALiteralBlock_PointsAtTheOffendingCharacter()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    cite: c",
            "    require: |",
            "      args.amount > 0 &&",
            "        args.user_id == )");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        (error.Line, error.Column).ShouldBe((9, 25));
    }

    [Fact(Skip = "bug: YamlReader.ExpressionError (src/Keel.Core/Policies/YamlReader.cs:116-127) maps positions of folded scalars ('>-', the style of "
        + "every shipped policy pack) as if they were one line: an error on the second line is reported on the first line, past its end")]
    public void Parse_CelErrorOnTheSecondLineOfAFoldedBlock_PointsAtTheOffendingCharacter()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    cite: c",
            "    require: >-",
            "      args.amount > 0 &&",
            "      args.user_id == )");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        (error.Line, error.Column).ShouldBe((9, 23));
    }

    [Fact(Skip = "bug: YamlReader.ExpressionError (src/Keel.Core/Policies/YamlReader.cs:124-126) maps a multi-line plain scalar as one line "
        + "(YAML folds it), so an error on its second line is reported on the first line, past its end")]
    public void Parse_CelErrorOnTheSecondLineOfAPlainScalar_PointsAtTheOffendingCharacter()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    cite: c",
            "    require: args.amount > 0 &&",
            "      args.user_id == )");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        (error.Line, error.Column).ShouldBe((8, 23));
    }

    [Fact(Skip = "bug: YamlReader.ExpressionError (src/Keel.Core/Policies/YamlReader.cs:125-126) counts columns in the unescaped value of a "
        + "double-quoted scalar, so every escape (\\\") before the error shifts the column left by one")]
    public void Parse_CelErrorAfterAnEscapeInADoubleQuotedScalar_PointsAtTheOffendingCharacter()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    cite: c",
            "    require: \"args.cabin == \\\"business\\\" && )\"");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        At(rules, error)[0].ShouldBe(')');
    }

    [Fact]
    public void Parse_ParameterConstraintReadingFacts_IsAnErrorThatSuggestsAPrecondition()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: parameter_constraint",
            "    tools: [cancel_reservation]",
            "    cite: c",
            "    require: args.reservation_id in facts.get_reservation_details");

        var error = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        error.ToString().ShouldBe("policies.yaml:8:14: error: a parameter_constraint may use only 'args' and 'tool', not 'facts'; make it a precondition");
    }

    [Fact]
    public void Parse_UnknownCustomPolicy_PointsAtTheTypeAndListsTheRegisteredOnes()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: custom",
            "    type: FraudScore",
            "    cite: c");
        var options = new PolicyLoadOptions();
        options.CustomPolicies["RefundLimit"] = new FixedPolicy("RefundLimit", PolicyVerdict.Pass);

        var error = Parse(rules, options).Diagnostics.ShouldHaveSingleItem();

        error.ToString().ShouldBe("policies.yaml:6:11: error: no C# policy named 'FraudScore' is registered; register an IToolPolicy with that Name (registered: RefundLimit)");
    }

    [Fact]
    public void Parse_MisspelledKey_WarnsWithDidYouMeanAndStillLoads()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: tool_deny",
            "    tools: [cancel_reservation]",
            "    cite: c",
            "    reasn: \"never\"");

        var result = Parse(rules);

        var warning = result.Diagnostics.ShouldHaveSingleItem();
        warning.ToString().ShouldBe("policies.yaml:8:5: warning: unknown key 'reasn' is ignored; did you mean 'reason'?");
        result.Set.ShouldNotBeNull().Rules.ShouldHaveSingleItem().Id.ShouldBe("a");
    }

    [Fact]
    public void Parse_UnrelatedUnknownKey_WarnsWithTheKnownKeys()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: tool_deny",
            "    tools: [cancel_reservation]",
            "    cite: c",
            "    severity: high");

        var warning = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        warning.IsError.ShouldBeFalse();
        warning.Message.ShouldBe("unknown key 'severity' is ignored; known keys: id, kind, tools, on_fail, reason, cite, when, require, value, above, max, per, type, with_text, arguments, sources, allow, kinds, accept_delegated, words");
    }

    [Fact]
    public void Parse_CiteNotInTheSourceDocument_Warns()
    {
        var rules = Lines(
            "  - id: quoted",
            "    kind: tool_deny",
            "    tools: [cancel_reservation]",
            "    cite: \"Basic economy   flights cannot be modified.\"",
            "  - id: invented",
            "    kind: tool_deny",
            "    tools: [book_reservation]",
            "    cite: \"Refunds are always granted.\"");
        var options = new PolicyLoadOptions { SourceDocument = "## Modify flight\n\n- Change flights: Basic economy flights\ncannot be modified. Other reservations ..." };

        var result = Parse(rules, options);

        var warning = result.Diagnostics.ShouldHaveSingleItem();
        warning.ToString().ShouldBe("policies.yaml:11:11: warning: rule 'invented' cites text not found in the policy document; quote it exactly");
        result.Set.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_MissingCite_WarnsAtTheRule()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: tool_deny",
            "    tools: [cancel_reservation]");

        var warning = Parse(rules).Diagnostics.ShouldHaveSingleItem();

        warning.ToString().ShouldBe("policies.yaml:4:5: warning: rule 'a' has no 'cite': quote the policy sentence it enforces");
    }

    [Fact]
    public void Parse_ToolNotInTheCatalog_WarnsOncePerUnknownTool()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: precondition",
            "    tools: [cancel_reservation, cancel_reservations, refund]",
            "    require: \"true\"",
            "    cite: c");
        var options = new PolicyLoadOptions { KnownTools = new HashSet<string> { "cancel_reservation" } };

        var warnings = Parse(rules, options).Diagnostics;

        warnings.Select(w => w.ToString()).ShouldBe([
            "policies.yaml:6:12: warning: tool 'cancel_reservations' is not in the agent's tools.json; the rule never applies to it",
            "policies.yaml:6:12: warning: tool 'refund' is not in the agent's tools.json; the rule never applies to it"]);
    }

    [Theory]
    [InlineData("    kind: rate_limit\n    max: lots\n", 6, 10, "'max' must be a whole number, not 'lots'")]
    [InlineData("    kind: approval_threshold\n    value: args.amount\n    above: much\n", 7, 12, "'above' must be a number, not 'much'")]
    [InlineData("    kind: one_call_at_a_time\n    with_text: sometimes\n", 6, 16, "'with_text' must be 'allow' or 'fail', not 'sometimes'")]
    [InlineData("    kind: tool_allow\n", 4, 5, "rule 'a' needs 'tools': the list of tool names")]
    public void Parse_BadRuleSettings_PointAtTheSetting(string body, int line, int column, string message)
    {
        var rules = "  - id: a\n" + body + "    cite: c\n";

        var error = Parse(rules).Diagnostics.Single(d => d.IsError);

        (error.Line, error.Column).ShouldBe((line, column));
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void Parse_RateLimitWindowThatIsNoDuration_PointsAtTheValue()
    {
        var result = Parse("  - id: a\n    kind: rate_limit\n    max: 2\n    per: fortnight\n    cite: c\n");

        result.Set.ShouldBeNull();
        result.Diagnostics.Select(d => d.ToString()).ShouldContain("policies.yaml:7:10: error: 'per' must be 'run' or a duration such as 1h or 30m, not 'fortnight'");
    }

    [Fact]
    public void Parse_RateLimitWindowThatIsNoDuration_IsOneError()
    {
        var result = Parse("  - id: a\n    kind: rate_limit\n    max: 2\n    per: fortnight\n    cite: c\n");

        result.Diagnostics.ShouldHaveSingleItem().Column.ShouldBe(10);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsThePositionAndLoadsNothing()
    {
        var result = PolicyLoader.Parse("policy: test\nrules:\n  - id: [a\n", "policies.yaml");

        result.Set.ShouldBeNull();
        var error = result.Diagnostics.ShouldHaveSingleItem();
        error.IsError.ShouldBeTrue();
        error.Message.ShouldStartWith("not valid YAML: ");
        error.Line.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public void Parse_SeveralErrors_AreAllReportedInFileOrder()
    {
        var rules = Lines(
            "  - id: a",
            "    kind: nope",
            "    cite: c",
            "  - id: b",
            "    kind: precondition",
            "    require: args.x ==",
            "    cite: c");

        var result = Parse(rules);

        result.Diagnostics.Select(d => (d.Line, d.IsError)).ShouldBe([(5, true), (9, true)]);
        result.HasErrors.ShouldBeTrue();
    }

    [Fact]
    public void Load_MissingFile_IsOneErrorNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "keel-no-such-dir-" + Guid.NewGuid().ToString("N"), "policies.yaml");

        var error = PolicyLoader.Load(path).Diagnostics.ShouldHaveSingleItem();

        error.ToString().ShouldBe($"{path}:1:1: error: file not found. Point 'policies:' in agent.yaml at a policies.yaml file");
    }
}

/// <summary>A C# policy that always gives the same verdict.</summary>
internal sealed class FixedPolicy(string name, PolicyVerdict verdict) : IToolPolicy
{
    public string Name => name;

    public int Calls { get; private set; }

    public PolicyVerdict Evaluate(PolicyContext context)
    {
        Calls++;
        return verdict;
    }
}
