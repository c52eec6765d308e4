using System.Diagnostics;
using Keel.Bundles;
using Keel.Gateway;
using Keel.Mcp.Upstream;
using Keel.Model;

namespace Keel.Mcp.Tests.Upstream;

/// <summary>Starts the real keel-tau-tools airline server as an upstream. It is launched through <c>sh -c 'echo $$ &gt; pidfile; exec dotnet …'</c>
/// so the test knows the server's process id (exec keeps it) and can kill or stop it like a crash or a hang would.</summary>
internal sealed class TauUpstream : IAsyncDisposable
{
    private readonly string _pidFile = Path.Combine(Path.GetTempPath(), $"keel-mcp-test-{Guid.NewGuid():N}.pid");

    public TauUpstream(TimeSpan? callTimeout = null, TimeProvider? timeProvider = null)
    {
        Options = new McpUpstreamOptions
        {
            Name = "tau-airline",
            Command = "sh",
            Arguments = ["-c", $"echo $$ > '{_pidFile}'; exec dotnet '{RepoPaths.TauToolsDll}' --domain airline"],
            WorkingDirectory = AppContext.BaseDirectory,
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(30),
            ReconnectDelay = TimeSpan.FromMilliseconds(1),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(1),
        };
        Upstream = new McpUpstream(Options, timeProvider: timeProvider);
        Executor = new McpToolExecutor([Upstream]);
    }

    public static AgentVersion Agent { get; } = AgentBundleLoader.Load(RepoPaths.AirlineBundle);

    public McpUpstreamOptions Options { get; }

    public McpUpstream Upstream { get; }

    public McpToolExecutor Executor { get; }

    /// <summary>The process id of the server started last.</summary>
    public int ProcessId => int.Parse(File.ReadAllText(_pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public static ToolCallContext Context(string tool, string arguments, string? id = null)
    {
        var call = new ToolCall(id ?? $"call_{Guid.NewGuid():N}", tool, arguments);
        var state = new RunState(new Run("run-1", "acme", Agent.AgentName, Agent.Version, new DateTimeOffset(2024, 5, 15, 15, 0, 0, TimeSpan.FromHours(-5))));
        return new ToolCallContext(call, state, Agent, state.Run.StartedAt, PipelineMode.Enforce);
    }

    public async Task<ToolResult> CallAsync(string tool, string arguments) =>
        await Executor.ExecuteAsync(Context(tool, arguments), Xunit.TestContext.Current.CancellationToken);

    public async Task KillAsync()
    {
        using var process = Process.GetProcessById(ProcessId);
        process.Kill();
        await process.WaitForExitAsync(Xunit.TestContext.Current.CancellationToken);
    }

    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        await Upstream.DisposeAsync();
        File.Delete(_pidFile);
    }
}
