using System.Security.Cryptography;
using Keel.Core.Tests.Bundles;
using Keel.Versions;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Versions;

public sealed class VersionDiffTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-diff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Compare_SameContent_NoChange()
    {
        var airline = BundleContent.Read(RepoPaths.AirlineBundle);

        VersionDiff.Compare(airline, airline).ShouldBeEmpty();
    }

    [Fact]
    public void Compare_RuleRemovedRuleChangedBudgetPromptToolAndEscalation_EachInWords()
    {
        var before = BundleContent.Read(RepoPaths.AirlineBundle);
        Edit("wiki.md", text => text + "Always confirm the passenger's name.\n");
        var prompt = Path.Combine(_dir, "wiki.md");
        Edit("agent.yaml", text => text
            .Replace("56c335801c16e26b54f600f9db99eb04d31db477e86eb160341d5c66b796c5c8", Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(prompt))), StringComparison.Ordinal)
            .Replace("max_tool_calls: 30", "max_tool_calls: 40", StringComparison.Ordinal));
        Edit("policies.yaml", text => RemoveRule(text, "airline.cancel.not-flown").Replace("on_fail: warn   #", "on_fail: deny   #", StringComparison.Ordinal));
        Edit("escalation.yaml", text => text.Replace("priority: p3", "priority: p2", StringComparison.Ordinal));
        Edit("tools.json", text => text.Replace("\"name\": \"calculate\"", "\"name\": \"compute\"", StringComparison.Ordinal));
        Edit("policies.yaml", text => text.Replace("calculate,", "compute,", StringComparison.Ordinal));

        var changes = VersionDiff.Compare(before, BundleContent.Read(_dir));

        changes.ShouldContain(new VersionChange("prompt", "prompt: 1 line(s) added, 0 removed"));
        changes.ShouldContain(new VersionChange("prompt", "+ Always confirm the passenger's name."));
        changes.ShouldContain(new VersionChange("policies", "policy rule airline.cancel.not-flown removed"));
        changes.ShouldContain(new VersionChange("policies", "policy rule airline.one-call-at-a-time changed: on_fail"));
        changes.ShouldContain(new VersionChange("policies", "policy rule airline.tools changed: tools"));
        changes.ShouldContain(new VersionChange("escalation", "escalation rule out_of_scope_insisted changed: priority"));
        changes.ShouldContain(new VersionChange("budgets", "budgets.max_tool_calls 30 → 40"));
        changes.ShouldContain(c => c.Area == "tools" && c.Text.StartsWith("tool compute added", StringComparison.Ordinal));
        changes.ShouldContain(new VersionChange("tools", "tool calculate removed"));
        changes.ShouldNotContain(c => c.Area == "model");
        changes.Where(c => c.Area == "files").Select(c => c.Text).Order(StringComparer.Ordinal).ShouldBe([
            "file agent.yaml changed", "file escalation.yaml changed", "file policies.yaml changed", "file tools.json changed", "file wiki.md changed"]);
    }

    [Fact]
    public void Compare_OnlyAnUncomparedByteChanged_NamesTheFile()
    {
        var before = BundleContent.Read(RepoPaths.AirlineBundle);
        Edit("tools.json", text => text + "\n");

        var changes = VersionDiff.Compare(before, BundleContent.Read(_dir));

        changes.ShouldBe([new VersionChange("files", "file tools.json changed")]);
    }

    private void Edit(string file, Func<string, string> change)
    {
        if (!File.Exists(Path.Combine(_dir, "agent.yaml")))
        {
            foreach (var source in Directory.GetFiles(RepoPaths.AirlineBundle))
            {
                File.Copy(source, Path.Combine(_dir, Path.GetFileName(source)));
            }
        }

        var path = Path.Combine(_dir, file);
        var text = File.ReadAllText(path);
        var changed = change(text);
        changed.ShouldNotBe(text, $"the test's edit of {file} changed nothing");
        File.WriteAllText(path, changed);
    }

    private static string RemoveRule(string policies, string id)
    {
        var lines = policies.Split('\n');
        var kept = new List<string>();
        var skip = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("  - id: ", StringComparison.Ordinal) || line.StartsWith("  # -", StringComparison.Ordinal))
            {
                skip = line == $"  - id: {id}";
            }

            if (!skip)
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept);
    }
}
