using Keel.Bundles;
using Keel.Model;
using Keel.Policies;
using Keel.Tools;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Bundles;

public sealed class AgentBundleLoaderTests
{
    private const string MinimalPromptSha = "ed068197905c6c9cbfe4309ea6ced6a76435402682a6c4870ba66f537a35ca1a";

    [Fact]
    public void Load_ShippedAirlineBundle_LoadsEverySectionOfAgentYaml()
    {
        var agent = AgentBundleLoader.Load(RepoPaths.AirlineBundle);

        agent.AgentName.ShouldBe("tau-airline");
        agent.Version.ShouldBe("1.0.0");
        agent.Model.ShouldBe("gpt-4o");
        agent.PromptFile.ShouldBe("wiki.md");
        agent.PromptSha256.ShouldBe("56c335801c16e26b54f600f9db99eb04d31db477e86eb160341d5c66b796c5c8");
        agent.State.ShouldBe(AgentVersionState.Validated);
        agent.Tools.Count.ShouldBe(14);
        agent.Policies.Id.ShouldBe("tau-airline");
        agent.Policies.Version.ShouldBe("2024-05-15.1");
        agent.Policies.Source.ShouldBe("wiki.md");
        agent.Policies.Rules.Count.ShouldBe(22);
        agent.Policies.Rules.Select(r => r.Id).ShouldContain("airline.cancel.eligibility");
        agent.Budgets.ShouldBe(new BudgetLimits(100, 30, 200_000, 1.00m));
        agent.LoopGuard.ShouldBe(new LoopGuardOptions(3, 5));
        agent.Handoff.Tools.ShouldBe(["transfer_to_human_agents"]);
        agent.Handoff.Team.ShouldBe("airline-support");
    }

    [Fact]
    public void Load_PathOfAgentYaml_LoadsTheSameBundle()
    {
        var agent = AgentBundleLoader.Load(Path.Combine(RepoPaths.AirlineBundle, "agent.yaml"));

        agent.AgentName.ShouldBe("tau-airline");
        agent.Tools.Count.ShouldBe(14);
    }

    [Fact]
    public void Load_ShippedAirlineBundle_EveryCiteQuotesTheWikiAndEveryToolIsInTheCatalog()
    {
        var options = new PolicyLoadOptions
        {
            SourceDocument = File.ReadAllText(Path.Combine(RepoPaths.AirlineBundle, "wiki.md")),
            KnownTools = ToolCatalogLoader.Load(Path.Combine(RepoPaths.AirlineBundle, "tools.json")).Tools.Select(t => t.Name).ToHashSet(),
        };

        var result = PolicyLoader.Load(Path.Combine(RepoPaths.AirlineBundle, "policies.yaml"), options);

        result.Diagnostics.ShouldBeEmpty(string.Join(Environment.NewLine, result.Diagnostics));
    }

    [Fact]
    public void Load_MinimalBundle_UsesTheDefaultsForOmittedSections()
    {
        var agent = AgentBundleLoader.Load(RepoPaths.TestBundle("minimal"));

        agent.AgentName.ShouldBe("refund-desk");
        agent.Model.ShouldBe("unknown");
        agent.PromptSha256.ShouldBe(MinimalPromptSha);
        agent.Tools.Tools.Select(t => t.Name).ShouldBe(["get_order", "refund_order"]);
        agent.Policies.Rules.ShouldHaveSingleItem().Id.ShouldBe("refund.supervisor");
        agent.Budgets.ShouldBe(BudgetLimits.Unlimited);
        agent.LoopGuard.ShouldBe(LoopGuardOptions.Default);
        agent.Handoff.ShouldBe(HandoffOptions.Default);
    }

    [Fact]
    public void Load_WrongPromptSha256_NamesAgentYamlLineColumnAndTheActualHash()
    {
        var folder = RepoPaths.TestBundle("wrong-sha");
        var manifest = Path.Combine(folder, "agent.yaml");

        var ex = Should.Throw<BundleLoadException>(() => AgentBundleLoader.Load(folder));

        ex.File.ShouldBe(manifest);
        (ex.Line, ex.Column).ShouldBe((7, 11));
        ex.Message.ShouldBe($"{manifest}:7:11: prompt 'prompt.md' has SHA-256 {MinimalPromptSha}, not the declared "
            + "0000000000000000000000000000000000000000000000000000000000000000. "
            + $"If the prompt change is intended, set sha256: {MinimalPromptSha} and bump the version");
    }

    [Fact]
    public void Load_ToolsPerRun_HasAnEmptyCatalogAndNeedsNoToolsJson()
    {
        var agent = AgentBundleLoader.Load(RepoPaths.Sample("bfcl"));

        agent.AgentName.ShouldBe("bfcl");
        agent.Tools.Count.ShouldBe(0);
        agent.Policies.Rules.ShouldBeEmpty();
        File.Exists(RepoPaths.Sample("bfcl", "tools.json")).ShouldBeFalse();
    }

    [Fact]
    public void Load_MissingToolsJson_NamesTheFile()
    {
        var folder = RepoPaths.TestBundle("missing-tools");

        var ex = Should.Throw<BundleLoadException>(() => AgentBundleLoader.Load(folder));

        ex.Message.ShouldBe($"{Path.Combine(Path.GetFullPath(folder), "tools.json")}: file not found. Point 'tools:' in agent.yaml at a tools.json in OpenAI function-tool format");
    }

    [Fact]
    public void Load_PolicyErrors_ListsEveryErrorOnItsOwnLineAndNoWarnings()
    {
        var policies = Path.Combine(Path.GetFullPath(RepoPaths.TestBundle("bad-policies")), "policies.yaml");

        var ex = Should.Throw<BundleLoadException>(() => AgentBundleLoader.Load(RepoPaths.TestBundle("bad-policies")));

        var lines = ex.Message.Split(Environment.NewLine);
        lines.Length.ShouldBe(2);
        lines[0].ShouldStartWith($"{policies}:5:11: error: unknown rule kind 'approval_treshold'; use one of: ");
        lines[1].ShouldStartWith($"{policies}:11:");
        lines[1].ShouldContain(": error: in expression: unexpected end of expression");
        ex.Message.ShouldNotContain("refund_ordr");
    }

    [Fact]
    public void Load_NegativeBudget_NamesTheSetting()
    {
        var manifest = Path.Combine(RepoPaths.TestBundle("bad-budget"), "agent.yaml");

        var ex = Should.Throw<BundleLoadException>(() => AgentBundleLoader.Load(RepoPaths.TestBundle("bad-budget")));

        ex.Message.ShouldBe($"{manifest}:7:19: 'max_tool_calls' must be a positive number, not '-3'");
    }

    [Fact]
    public void Load_FolderWithoutAgentYaml_SaysWhatABundleHolds()
    {
        var folder = Path.Combine(Path.GetTempPath(), "keel-empty-" + Guid.NewGuid().ToString("N"));

        var ex = Should.Throw<BundleLoadException>(() => AgentBundleLoader.Load(folder));

        ex.Message.ShouldBe($"{Path.Combine(folder, "agent.yaml")}: file not found. A bundle folder holds agent.yaml, tools.json and policies.yaml (see docs/agent-bundle.md)");
    }
}
