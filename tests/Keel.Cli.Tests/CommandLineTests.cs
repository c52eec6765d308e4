using System.CommandLine;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary>What the command line itself answers before any command runs: parse errors exit with README's code 2, and URL options parse.</summary>
[Collection(CliSerial.Name)]
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("replay", "runs.json")]
    [InlineData("serve", "--agent", "x", "--approval-stages", "abc")]
    [InlineData("audit", "verify", "--no-such-option")]
    [InlineData("policy")]
    public async Task InvokeAsync_ParseError_ExitsTwoAndPrintsTheErrorOnStderr(params string[] args)
    {
        var (exit, _, error) = await KeelAsync(args);

        exit.ShouldBe(ExitCodes.BadInput);
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("/hook", "it is not an absolute URL")]
    [InlineData("hooks.slack.com/services/x", "it is not an absolute URL")]
    [InlineData("ftp://example.com/hook", "its scheme is 'ftp', not http or https")]
    [InlineData("file:///tmp/hook", "its scheme is 'file', not http or https")]
    public async Task ApprovalWebhook_NotAnHttpUrl_ExitsTwoNamingTheOptionAndTheFix(string url, string why)
    {
        var (exit, _, error) = await KeelAsync("serve", "--agent", RepoPaths.AirlineBundle, "--approval-webhook", url);

        exit.ShouldBe(ExitCodes.BadInput);
        error.ShouldContain($"--approval-webhook '{url}' is not an http:// or https:// URL ({why}); give the full address, e.g. https://");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5094/hook")]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXX")]
    public void ApprovalWebhook_HttpUrl_ParsesToThatUri(string url)
    {
        var serve = ServeCommand.Create();
        var option = serve.Options.OfType<Option<Uri?>>().Single(o => o.Name == "--approval-webhook");

        var parse = serve.Parse(["--agent", "x", "--approval-webhook", url]);

        parse.Errors.ShouldBeEmpty();
        parse.GetValue(option).ShouldBe(new Uri(url));
    }

    private static async Task<(int Exit, string Output, string Error)> KeelAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await KeelCommand.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
