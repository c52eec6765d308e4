using Keel.Sdk.Governance;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.Tests;

public sealed class KeelOptionsTests
{
    [Fact]
    public void UseKeel_NoApiKey_FailsNamingTheSetting()
    {
        using var model = new ScriptedChatClient();
        var builder = new ChatClientBuilder(model).UseKeel(o => o.Endpoint = new Uri("http://127.0.0.1:1/"));

        Should.Throw<InvalidOperationException>(() => builder.Build()).Message.ShouldContain("KeelOptions.ApiKey");
    }

    [Fact]
    public void UseKeel_NoEndpoint_FailsNamingTheSetting()
    {
        using var model = new ScriptedChatClient();
        var builder = new ChatClientBuilder(model).UseKeel(o => o.ApiKey = "keel_a_b");

        Should.Throw<InvalidOperationException>(() => builder.Build()).Message.ShouldContain("KeelOptions.Endpoint");
    }

    [Fact]
    public void Governor_SameRunId_SameSession()
    {
        using var governor = new KeelGovernor(new KeelOptions { Endpoint = new Uri("http://127.0.0.1:1/"), ApiKey = "keel_a_b" });

        var first = governor.SessionFor([], new ChatOptions { ConversationId = "conv-1" });

        governor.SessionFor([], new ChatOptions { ConversationId = "conv-1" }).ShouldBeSameAs(first);
        governor.SessionFor([], new ChatOptions { ConversationId = "conv-2" }).RunId.ShouldBe("conv-2");
        governor.SessionFor([], null).RunId.ShouldStartWith("sdk-");
    }
}
