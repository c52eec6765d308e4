using Keel.Mcp.Tests.Fakes;
using Keel.Mcp.Upstream;
using Keel.Model;
using Shouldly;
using Xunit;

namespace Keel.Mcp.Tests.Upstream;

public sealed class McpUpstreamOptionsTests
{
    [Theory]
    [InlineData(null, null, "upstream 'tools': set exactly one of Command (a stdio server Keel starts) and Endpoint (an HTTP MCP endpoint).")]
    [InlineData("dotnet", "http://127.0.0.1:7001/mcp", "upstream 'tools': set exactly one of Command (a stdio server Keel starts) and Endpoint (an HTTP MCP endpoint).")]
    [InlineData(null, "ftp://127.0.0.1/mcp", "upstream 'tools': Endpoint 'ftp://127.0.0.1/mcp' is not an absolute http:// or https:// URL. Give the server's MCP URL, e.g. http://127.0.0.1:7001/mcp.")]
    public void Validate_TransportNotExactlyOneOfCommandAndEndpoint_NamesTheSettingAndFix(string? command, string? endpoint, string expected)
    {
        var options = new McpUpstreamOptions { Name = "tools", Command = command, Endpoint = endpoint is null ? null : new Uri(endpoint) };

        Should.Throw<ArgumentException>(options.Validate).Message.ShouldStartWith(expected);
    }

    [Fact]
    public void Validate_MissingNameOrShortMaxDelay_Throws()
    {
        Should.Throw<ArgumentException>(new McpUpstreamOptions { Command = "x" }.Validate).ParamName.ShouldBe("Name");
        Should.Throw<ArgumentException>(new McpUpstreamOptions { Name = "t", Command = "x", ReconnectDelay = TimeSpan.FromMinutes(2) }.Validate).ParamName.ShouldBe("MaxReconnectDelay");
        Should.Throw<ArgumentException>(new McpUpstreamOptions { Name = "t", Command = "x", CallTimeout = TimeSpan.Zero }.Validate).ParamName.ShouldBe("CallTimeout");
    }

    [Fact]
    public void Create_TwoUpstreamsWithOneName_Throws()
    {
        McpUpstreamOptions[] options = [new() { Name = "a", Command = "x" }, new() { Name = "a", Command = "y" }];

        Should.Throw<ArgumentException>(() => McpToolExecutor.Create(options)).Message.ShouldStartWith("two upstreams are named 'a'.");
    }

    [Fact]
    public async Task ExecuteAsync_HttpEndpointNothingListensOn_ReturnsUnavailable()
    {
        await using var executor = McpToolExecutor.Create([new McpUpstreamOptions { Name = "remote", Endpoint = new Uri($"http://127.0.0.1:{FakeKeelServer.FreePort()}/mcp") }]);

        var failures = await executor.ConnectAsync(TestContext.Current.CancellationToken);
        var result = await executor.ExecuteAsync(TauUpstream.Context("think", """{"thought": "x"}"""), TestContext.Current.CancellationToken);

        failures.ShouldBe(["upstream tool server 'remote' is unavailable: connecting failed (attempt 1), so the call was not sent. Keel tries again in 1 s"]);
        result.Status.ShouldBe(ToolResultStatus.Error);
        result.Output.ShouldBe("Error: no connected upstream tool server offers the tool 'think'; upstream 'remote' is unavailable");
    }
}
