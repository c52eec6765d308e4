using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

[Collection(CliSerial.Name)]
public sealed class PolicyLintTests : IDisposable
{

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-lint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Lint_ShippedAirlineBundle_ExitsZeroWithNoErrorsOrWarnings()
    {
        using var console = new CapturedConsole();

        var exit = PolicyCommand.Lint(RepoPaths.AirlineBundle);

        exit.ShouldBe(0);
        console.Text.ShouldContain($"{Path.Combine(RepoPaths.AirlineBundle, "policies.yaml")}: 22 rules, 0 errors, 0 warnings");
    }

    [Fact]
    public void Lint_FileWithErrors_ExitsTwoAndPrintsEachDiagnosticWithItsPosition()
    {
        var file = Path.Combine(_dir, "policies.yaml");
        File.WriteAllText(file, """
            policy: broken
            version: "1"
            rules:
              - id: a
                kind: tool_denny
                tools: [cancel_reservation]
                cite: c
              - id: b
                kind: precondition
                require: args.amount >= )
                cite: c
                reasn: typo
            """);
        using var console = new CapturedConsole();

        var exit = PolicyCommand.Lint(file);

        exit.ShouldBe(2);
        var text = console.Text;
        text.ShouldContain($"{file}:5:11: error: unknown rule kind 'tool_denny'; use one of: tool_allow, tool_deny,");
        text.ShouldContain($"{file}:10:29: error: in expression: unexpected ')'; expected an expression");
        text.ShouldContain($"{file}:12:5: warning: unknown key 'reasn' is ignored; did you mean 'reason'?");
        text.ShouldContain($"{file}: 2 rules, 2 errors, 1 warnings");
    }

    [Fact]
    public void Lint_BundleFolder_ChecksToolNamesAgainstItsToolsJsonAndCitesAgainstItsSource()
    {
        File.WriteAllText(Path.Combine(_dir, "tools.json"), """{"tools": [{"type": "function", "function": {"name": "cancel_reservation", "parameters": {"type": "object", "properties": {}}}}]}""");
        File.WriteAllText(Path.Combine(_dir, "policy.md"), "Cancellations need a yes.\n");
        File.WriteAllText(Path.Combine(_dir, "policies.yaml"), """
            policy: p
            version: "1"
            source: policy.md
            rules:
              - id: a
                kind: confirmation_required
                tools: [cancel_reservation, cancel_reservations]
                cite: "Cancellations need a yes."
              - id: b
                kind: tool_deny
                tools: [cancel_reservation]
                cite: "Refunds are instant."
            """);
        using var console = new CapturedConsole();

        var exit = PolicyCommand.Lint(_dir);

        exit.ShouldBe(0);
        var text = console.Text;
        text.ShouldContain(":7:12: warning: tool 'cancel_reservations' is not in the agent's tools.json; the rule never applies to it");
        text.ShouldContain(":12:11: warning: rule 'b' cites text not found in the policy document; quote it exactly");
        text.ShouldContain(": 2 rules, 0 errors, 2 warnings");
    }

    [Fact]
    public void Lint_BundleWithBrokenToolsJson_ExitsTwoNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "tools.json"), "{\"tools\": [");
        File.WriteAllText(Path.Combine(_dir, "policies.yaml"), "policy: p\nversion: \"1\"\nrules: []\n");
        using var console = new CapturedConsole();

        var exit = PolicyCommand.Lint(_dir);

        exit.ShouldBe(2);
        console.Text.ShouldContain($"{Path.Combine(_dir, "tools.json")}:1:");
        console.Text.ShouldContain("not valid JSON");
    }

    [Fact]
    public void Lint_MissingFile_ExitsTwo()
    {
        using var console = new CapturedConsole();

        var exit = PolicyCommand.Lint(Path.Combine(_dir, "nope.yaml"));

        exit.ShouldBe(2);
        console.Text.ShouldContain("file not found");
    }
}
