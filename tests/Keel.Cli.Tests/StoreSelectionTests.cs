using System.Net;
using System.Net.Sockets;
using Keel.Cli.Commands;
using Shouldly;
using Xunit;

namespace Keel.Cli.Tests;

/// <summary><c>--store</c>, <c>--db</c> and <c>--connection</c> as <c>keel serve</c> and <c>keel audit verify</c> read them: bad input is exit
/// code 2, a server that cannot be reached is 3, and no message repeats a password.</summary>
[Collection(CliSerial.Name)]
public sealed class StoreSelectionTests
{
    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("serve")]
    public async Task Store_UnknownBackend_ExitsTwo(params string[] command)
    {
        using var console = new CapturedConsole();

        var exit = await KeelAsync([.. command, .. Agent(command), "--store", "mysql"]);

        exit.ShouldBe(ExitCodes.BadInput, console.Text);
        console.Text.ShouldContain("--store 'mysql' is not a backend; use sqlite or postgres.");
    }

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("serve")]
    public async Task Postgres_WithoutConnection_ExitsTwoNamingTheOption(params string[] command)
    {
        using var console = new CapturedConsole();

        var exit = await KeelAsync([.. command, .. Agent(command), "--store", "postgres"]);

        exit.ShouldBe(ExitCodes.BadInput, console.Text);
        console.Text.ShouldContain("--store postgres needs a connection string: --connection");
    }

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("serve")]
    public async Task Postgres_MalformedConnection_ExitsTwoWithoutThePassword(params string[] command)
    {
        using var console = new CapturedConsole();

        var exit = await KeelAsync([.. command, .. Agent(command), "--store", "postgres", "--connection", "Host=127.0.0.1;Password=hunter2;Colour=blue"]);

        exit.ShouldBe(ExitCodes.BadInput, console.Text);
        console.Text.ShouldContain("PostgresStoreOptions.ConnectionString is not a valid connection string");
        console.Text.ShouldNotContain("hunter2");
    }

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("serve")]
    public async Task Postgres_NothingListening_ExitsThreeWithoutThePassword(params string[] command)
    {
        using var console = new CapturedConsole();

        string[] urls = command[0] == "serve" ? ["--urls", "http://127.0.0.1:0"] : [];

        var exit = await KeelAsync([.. command, .. Agent(command), .. urls, "--store", "postgres",
            "--connection", $"Host=127.0.0.1;Port={ClosedPort()};Username=keel;Password=hunter2;Database=keel;Timeout=3"]);

        exit.ShouldBe(ExitCodes.StoreFailed, console.Text);
        console.Text.ShouldContain("PostgreSQL store 'keel@127.0.0.1:");
        console.Text.ShouldNotContain("hunter2");
    }

    private static string[] Agent(string[] command) => command[0] == "serve" ? ["--agent", RepoPaths.AirlineBundle] : [];

    private static async Task<int> KeelAsync(string[] args) =>
        await KeelCommand.Create().Parse(args).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
