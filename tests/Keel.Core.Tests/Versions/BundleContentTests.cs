using System.Text;
using Keel.Bundles;
using Keel.Core.Tests.Bundles;
using Keel.Versions;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Versions;

public sealed class BundleContentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-versions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Hash_TwoFiles_IsTheDocumentedSha256()
    {
        // Python: h = sha256(b"keel.version.v1"); per file sorted by path: >i len(path), path, >q len(bytes), bytes.
        var content = new BundleContent([new BundleFile("agent.yaml", "name: y\n"u8.ToArray()), new BundleFile("a.txt", "x"u8.ToArray())]);

        content.Hash.ShouldBe("sha256:fc9de4ae51bf408a2963e254a2d1d5464c2606e0f686e9635452efdde1897044");
        content.Files.Select(f => f.Path).ShouldBe(["a.txt", "agent.yaml"]);
    }

    [Fact]
    public void Read_ShippedAirlineBundle_HashesExactlyTheFilesTheLoaderReads()
    {
        var (agent, content) = BundleContent.Read(RepoPaths.AirlineBundle);

        agent.AgentName.ShouldBe("tau-airline");
        content.Files.Select(f => f.Path).ShouldBe(["agent.yaml", "escalation.yaml", "policies.yaml", "tools.json", "wiki.md"]);
        content.Files.Single(f => f.Path == "tools.json").Bytes.ToArray().ShouldBe(File.ReadAllBytes(Path.Combine(RepoPaths.AirlineBundle, "tools.json")));
        content.Hash.ShouldStartWith("sha256:");
        content.Hash.Length.ShouldBe(71);
    }

    [Fact]
    public void Read_CopyElsewhereWithAnotherReadme_SameHash()
    {
        var copy = Copy(RepoPaths.AirlineBundle);
        File.AppendAllText(Path.Combine(copy, "README.md"), "\nan operator's note\n");

        BundleContent.Read(copy).Content.Hash.ShouldBe(BundleContent.Read(RepoPaths.AirlineBundle).Content.Hash);
    }

    [Fact]
    public void Read_OnePolicyByteChanged_AnotherHash()
    {
        var copy = Copy(RepoPaths.AirlineBundle);
        var policies = Path.Combine(copy, "policies.yaml");
        File.AppendAllText(policies, "\n# reviewed\n");

        BundleContent.Read(copy).Content.Hash.ShouldNotBe(BundleContent.Read(RepoPaths.AirlineBundle).Content.Hash);
    }

    [Fact]
    public void Load_StoredFilesOnly_LoadsTheSameVersion()
    {
        var (agent, content) = BundleContent.Read(RepoPaths.AirlineBundle);

        var loaded = content.Load();

        loaded.AgentName.ShouldBe(agent.AgentName);
        loaded.Policies.Rules.Select(r => r.Id).ShouldBe(agent.Policies.Rules.Select(r => r.Id));
        loaded.Tools.Count.ShouldBe(agent.Tools.Count);
        loaded.Escalation.Rules.Count.ShouldBe(agent.Escalation.Rules.Count);
        loaded.Files.ShouldBe(agent.Files);
    }

    [Theory]
    [InlineData("../tools.json")]
    [InlineData("/etc/passwd")]
    [InlineData("a/./b")]
    [InlineData("")]
    public void Constructor_PathNotInsideTheBundle_Throws(string path)
    {
        var ex = Should.Throw<ArgumentException>(() => new BundleContent([new BundleFile(path, "x"u8.ToArray())]));

        ex.Message.ShouldContain("not a relative path inside the bundle folder");
    }

    [Fact]
    public void Read_BundleNamingAFileOutsideItsFolder_ThrowsNamingIt()
    {
        var copy = Copy(RepoPaths.AirlineBundle);
        File.Move(Path.Combine(copy, "tools.json"), Path.Combine(_dir, "tools.json"));
        var manifest = Path.Combine(copy, "agent.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("tools: tools.json", "tools: ../tools.json", StringComparison.Ordinal));

        var ex = Should.Throw<BundleLoadException>(() => BundleContent.Read(copy));

        ex.Message.ShouldContain("'../tools.json', outside its folder");
    }

    [Fact]
    public void Text_Utf8File_ReturnsItsText()
    {
        var content = new BundleContent([new BundleFile("prompt.md", Encoding.UTF8.GetBytes("Grüße\n"))]);

        content.Text("prompt.md").ShouldBe("Grüße\n");
        content.Text("missing.md").ShouldBeNull();
    }

    private string Copy(string bundle)
    {
        var target = Path.Combine(_dir, "bundle");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(bundle))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}
