using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>keel policy lint</c> checks the names an expression reads: variables against the ones policies bind, <c>args.x</c> against the
/// argument schemas of the rule's tools, <c>facts.x</c> against the read tools.</summary>
[Collection(CliSerial.Name)]
public sealed class PolicyLintNameTests : IDisposable
{
    private const string Tools = """
        {"tools": [
          {"type": "function", "x-tool-type": "write", "function": {"name": "book_reservation", "parameters": {"type": "object", "properties": {"user_id": {"type": "string"}, "passengers": {"type": "array"}}}}},
          {"type": "function", "x-tool-type": "write", "function": {"name": "cancel_reservation", "parameters": {"type": "object", "properties": {"reservation_id": {"type": "string"}}}}},
          {"type": "function", "x-tool-type": "read", "function": {"name": "get_user_details", "parameters": {"type": "object", "properties": {"user_id": {"type": "string"}}}}}
        ]}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-lint-names-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Lint_MisspeltVariable_ExitsTwoAtItsPositionSuggestingTheDeclaredOne()
    {
        var (exit, text, file) = Lint("""
              - id: a
                kind: precondition
                tools: [book_reservation]
                require: fact.get_user_details == 1
            """);

        exit.ShouldBe(2);
        text.ShouldContain($"{file}:7:14: error: unknown variable 'fact' (a policy expression reads tool, args, facts, run, now); did you mean 'facts'?");
    }

    [Fact]
    public void Lint_MisspeltArgument_ExitsTwoNamingTheToolAndTheDeclaredProperty()
    {
        var (exit, text, file) = Lint("""
              - id: a
                kind: parameter_constraint
                tools: [book_reservation]
                require: size(args.pasengers) <= 5
            """);

        exit.ShouldBe(2);
        text.ShouldContain($"{file}:7:24: error: 'pasengers' is not a property of book_reservation's arguments; did you mean 'passengers'?");
        text.ShouldContain($"{file}: 1 rules, 1 errors, 0 warnings");
    }

    [Fact]
    public void Lint_RuleOverSeveralTools_ReportsOnlyANameNoListedToolDeclares()
    {
        var (exit, text, file) = Lint("""
              - id: a
                kind: precondition
                tools: [book_reservation, cancel_reservation]
                when: has(args.reservation_id) && args.user_id != ""
                require: args.reservaton_id in facts.get_user_details
            """);

        exit.ShouldBe(2);
        text.ShouldContain($"{file}:8:19: error: 'reservaton_id' is not a property of the arguments of any of book_reservation, cancel_reservation; did you mean 'reservation_id'?");
        text.ShouldContain($"{file}: 1 rules, 1 errors, 0 warnings");
    }

    [Fact]
    public void Lint_LoopVariablesAndRulesWithoutTools_AreNotReported()
    {
        var (exit, text, _) = Lint("""
              - id: a
                kind: precondition
                tools: [book_reservation]
                require: args.passengers.all(p, p.name != "" && p.whatever == 1)
              - id: b
                kind: escalate
                when: args.anything == 1 && run.tool_calls > 3
            """);

        exit.ShouldBe(0, text);
        text.ShouldContain(": 2 rules, 0 errors, 0 warnings");
    }

    [Fact]
    public void Lint_FactsOfAToolThatIsNoReadTool_ExitsTwo()
    {
        var (exit, text, file) = Lint("""
              - id: a
                kind: precondition
                tools: [cancel_reservation]
                require: args.reservation_id in facts.get_user_detail
            """);

        exit.ShouldBe(2);
        text.ShouldContain($"{file}:7:43: error: 'facts.get_user_detail' is never set: 'get_user_detail' is not a read tool of tools.json (facts hold the answers of read tools); did you mean 'get_user_details'?");
    }

    [Fact]
    public void Lint_UnknownRuleKind_StillReportsTheErrorsOfItsExpressions()
    {
        var (exit, text, file) = Lint("""
              - id: a
                kind: precondtion
                tools: [book_reservation]
                require: args.user_id in facts.get_user_details &&
              - id: b
                kind: tool_deny
                tools: [cancel_reservation]
            """);

        exit.ShouldBe(2);
        text.ShouldContain($"{file}:5:11: error: unknown rule kind 'precondtion'");
        text.ShouldContain($"{file}:7:");
        text.ShouldContain("error: in expression:");
        text.ShouldContain($"{file}: 2 rules, 2 errors, 0 warnings");
    }

    [Theory]
    [InlineData("tau-airline")]
    [InlineData("tau-retail")]
    [InlineData("tau2-airline")]
    [InlineData("tau2-retail")]
    [InlineData("tau2-telecom")]
    [InlineData("bfcl")]
    [InlineData("agentdojo/banking")]
    [InlineData("agentdojo/slack")]
    [InlineData("agentdojo/travel")]
    [InlineData("agentdojo/workspace")]
    public void Lint_ShippedPack_HasNoErrorsOrWarnings(string pack)
    {
        using var console = new CapturedConsole();

        var exit = PolicyCommand.Lint(Path.Combine(Path.GetDirectoryName(RepoPaths.AirlineBundle)!, pack));

        exit.ShouldBe(0, console.Text);
        console.Text.ShouldContain(" 0 errors, 0 warnings");
    }

    /// <summary>Gives every rule a <c>cite</c> (last, so that line numbers stay), which the linter otherwise warns about.</summary>
    private static string WithCites(string rules) => rules.Replace("\n  - id:", "\n    cite: c\n  - id:", StringComparison.Ordinal) + "\n    cite: c";

    /// <summary>Lints a bundle folder holding <see cref="Tools"/> and a policy file whose rules (from line 4) are <paramref name="rules"/>.</summary>
    private (int Exit, string Text, string File) Lint(string rules)
    {
        File.WriteAllText(Path.Combine(_dir, "tools.json"), Tools);
        var file = Path.Combine(_dir, "policies.yaml");
        File.WriteAllText(file, "policy: p\nversion: \"1\"\nrules:\n" + WithCites(rules) + "\n");
        using var console = new CapturedConsole();
        var exit = PolicyCommand.Lint(_dir);
        return (exit, console.Text, file);
    }
}
