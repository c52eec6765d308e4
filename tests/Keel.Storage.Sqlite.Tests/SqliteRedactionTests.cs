using System.Text;
using Keel.Model;
using Keel.Redaction;
using Keel.Storage.Sqlite.Gateway;
using Keel.Storage.Sqlite.Tests.Support;
using Shouldly;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Redaction before storage: the raw value is in no byte of the database file or its write-ahead log.</summary>
public sealed class SqliteRedactionTests : IDisposable
{
    private const string Email = "noah.brown7922@example.com";
    private const string Card = "4242 4242 4242 4242";
    private const string Phone = "555-123-2002";
    private const string ApiKey = "sk-proj-abcdefghijklmnopqrstuvwx1234";

    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DbPath => _directory.File("keel.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SaveRunAsync_PersonalDataAndSecrets_NeverInTheFileOrItsLog()
    {
        await using (var store = await OpenAsync(Redactor.Default))
        {
            await store.SaveRunAsync(Sensitive("r1"), Ct);
            await store.AppendAsync(Sensitive("r2"), Ct);

            File.Exists(DbPath + "-wal").ShouldBeTrue();
            AssertNotOnDisk(DbPath, DbPath + "-wal");
        }

        AssertNotOnDisk(DbPath);
        RawSql.Rows(DbPath, "SELECT reason FROM decisions WHERE run_id = 'r1'").ShouldBe(["refund to [redacted:card ****4242] for [redacted:email]"]);
        RawSql.Rows(DbPath, "SELECT message FROM failures WHERE run_id = 'r1'").ShouldBe(["could not reach [redacted:phone]"]);
    }

    [Fact]
    public async Task GetRunAsync_SensitiveRun_ReadsBackRedactedAndVerifies()
    {
        await using var store = await OpenAsync(Redactor.Default);
        await store.SaveRunAsync(Sensitive("r1"), Ct);

        var run = await store.GetRunAsync("ws-a", "r1", Ct);

        run!.Events.OfType<MessageEvent>().Single().Content.ShouldBe("I am [redacted:email], card [redacted:card ****4242], call [redacted:phone]");
        run.Events.OfType<ToolCallEvent>().Single().Call.ArgumentsJson.ShouldBe("{\"email\":\"[redacted:email]\",\"api_key\":\"[redacted:secret]\"}");
        run.Handoff!.CustomerAsk.ShouldBe("refund [redacted:email]");
        (await store.VerifyAsync(cancellationToken: Ct)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task SaveRunAsync_RedactionOff_RawValueOnDisk()
    {
        // The check above can fail: without a redactor the same bytes are found.
        await using (var store = await OpenAsync(null))
        {
            await store.SaveRunAsync(Sensitive("r1"), Ct);
        }

        Contains(DbPath, Email).ShouldBeTrue();
    }

    private static Run Sensitive(string id)
    {
        var run = new Run(id, "ws-a", "agent", "v1", SampleRuns.Start);
        run.Append(new MessageEvent(MessageRole.User, $"I am {Email}, card {Card}, call {Phone}"));
        run.Append(new ToolCallEvent(new ToolCall("c1", "update_user", $"{{\"email\":\"{Email}\",\"api_key\":\"{ApiKey}\"}}")));
        run.Append(new DecisionEvent("c1", new Decision(DecisionKind.Deny, "policy", "r", null, $"refund to {Card} for {Email}")));
        run.AddFailure(new Failure(FailureClass.ToolTransient, Disposition.Retry, $"could not reach {Phone}"));
        run.Handoff = SampleRuns.Packet(id) with { CustomerAsk = $"refund {Email}" };
        return run;
    }

    [Fact]
    public async Task SealedGatewayStore_VersionNotes_RedactedBeforeTheHistoryIsHashed()
    {
        await using var gateway = new SqliteGatewayStore(new SqliteRunStoreOptions { Path = DbPath });
        var sealedStore = new SealedGatewayStore(gateway, RecordSealer.Default);
        var content = new Versions.BundleContent([new Versions.BundleFile("agent.yaml", Encoding.UTF8.GetBytes("name: refund-desk\nversion: 1\nmodel: gpt-4o\n"))]);
        var agent = new AgentVersion
        {
            AgentName = "refund-desk", Version = "1", Model = "gpt-4o", PromptFile = "agent.yaml", PromptSha256 = string.Empty,
            Tools = new Tools.ToolCatalog([]), Policies = Policies.PolicySet.Empty,
        };

        var (record, _) = await sealedStore.RegisterVersionAsync("ws-a", agent, content, "ana", $"asked by {Email}", Ct);
        var validated = await sealedStore.ApplyVersionActionAsync("ws-a", new Versions.VersionAction(Versions.VersionActionKind.Validate, "refund-desk", record.Hash, "ana", Note: $"card {Card}"), Ct);

        validated.Succeeded.ShouldBeTrue();
        var history = await sealedStore.ListVersionHistoryAsync("ws-a", Ct);
        history.ShouldAllBe(e => !e.Detail.Contains(Email) && !e.Detail.Contains(Card));
        Versions.VersionHistory.Verify("ws-a", history).ShouldBeEmpty();
        AssertNotOnDisk(DbPath);
    }

    private static void AssertNotOnDisk(params string[] files)
    {
        foreach (var file in files)
        {
            foreach (var secret in new[] { Email, Card, Phone, ApiKey, "4242424242424242" })
            {
                Contains(file, secret).ShouldBeFalse($"{Path.GetFileName(file)} holds '{secret}'");
            }
        }
    }

    private static bool Contains(string file, string text)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }

    private Task<SqliteRunStore> OpenAsync(Redactor? redactor) =>
        SqliteRunStore.OpenAsync(new SqliteRunStoreOptions { Path = DbPath, Redactor = redactor }, cancellationToken: Ct);
}
