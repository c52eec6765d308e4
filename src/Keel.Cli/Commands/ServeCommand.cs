using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using Keel.Mcp.Upstream;
using Keel.Server;
using Keel.Storage;
using Keel.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Keel.Cli.Output;
using Keel.Cli.Plugins;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel serve [--urls &lt;url&gt;] [--store sqlite --db &lt;file&gt; | --store postgres --connection &lt;string&gt;] --agent &lt;bundle&gt;... [--upstream name=command]...</c>: the live gateway.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string[]>("--urls") { Description = $"Addresses to listen on. Default: {KeelServer.DefaultUrl} (loopback only). Repeat for several.", AllowMultipleArgumentsPerToken = true };
        var store = new StoreArguments("The SQLite database for runs, approvals, keys and budgets; created on first start");
        var agent = new Option<string[]>("--agent", "-a")
        {
            Description = "Agent bundle folder (agent.yaml, tools.json, policies.yaml), or a folder of bundles. Repeat for several agents. Agent keys name one of them. "
                + "Required, here or as agents: in --config.",
            AllowMultipleArgumentsPerToken = true,
        };
        var config = new Option<string?>("--config", "-c")
        {
            Description = "A YAML file with the same settings as the flags (urls, agents, store, approvals, upstreams; docs/configuration.md). A flag given here wins over the file.",
        };
        var timeout = new Option<TimeSpan>("--approval-timeout") { Description = "How long a held call waits for approval before it expires (fail-closed), e.g. 00:30:00.", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var stages = new Option<int>("--approval-stages") { Description = "How many different people must approve a held call.", DefaultValueFactory = _ => 1 };
        var webhook = HttpUrlOption.Create(
            "--approval-webhook", "http(s) URL that receives a Slack-compatible JSON message ({\"text\": ...}) for every new approval.", "https://hooks.slack.com/services/T000/B000/XXXX");
        var upstream = new Option<string[]>("--upstream", "-u")
        {
            Description = "An MCP tool server the gateway calls: name=command args (stdio, started by Keel) or name=http://... Repeat for several; a tool goes to the first upstream that lists it. "
                + "Without one, allowed calls are answered not_executed.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("serve", "Run the live gateway: agents call their tools through Keel's HTTP API (docs/gateway-api.md); every call passes the same pipeline as replay, in enforce mode. The first start creates the 'default' workspace and, once the server listens, prints its platform_admin key once. "
            + $"Exit codes: 0 stopped; 2 bad input; 3 the store failed; {ExitCodes.ListenFailed} the address could not be listened on (e.g. in use).")
        {
            config, urls, agent, timeout, stages, webhook, upstream,
        };
        foreach (var option in store.All)
        {
            command.Options.Add(option);
        }

        var plugins = new PluginOptions(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (!plugins.TryCompose(parse, AnsiConsole.Console, out var composition))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var file = new ServeConfig();
            if (parse.GetValue(config) is { } path)
            {
                var (loaded, error) = ServeConfig.Load(path);
                if (loaded is null)
                {
                    AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {error}");
                    return Task.FromResult(ExitCodes.BadInput);
                }

                file = loaded;
            }

            var bundles = Given(parse, agent) ? parse.GetValue(agent) ?? [] : [.. (file.Agents ?? []).Select(file.Resolve)];
            if (bundles.Length == 0)
            {
                AnsiConsole.Console.MarkupLine("[red]error:[/] no agent bundle: pass --agent <folder>, or list agents: in the --config file.");
                return Task.FromResult(ExitCodes.BadInput);
            }

            return RunAsync(
                Given(parse, urls) ? parse.GetValue(urls) ?? [] : [.. file.Urls ?? []],
                store.Read(parse, file.Store, file.Resolve),
                bundles,
                Given(parse, timeout) ? parse.GetValue(timeout) : file.Approvals?.Timeout ?? parse.GetValue(timeout),
                Given(parse, stages) ? parse.GetValue(stages) : file.Approvals?.Stages ?? parse.GetValue(stages),
                Given(parse, webhook) ? parse.GetValue(webhook) : file.Approvals?.Webhook,
                Given(parse, upstream) ? [.. (parse.GetValue(upstream) ?? []).Select(u => (u, (string?)null))] : [.. (file.Upstreams ?? []).Select(u => (u, (string?)file.BaseDirectory))],
                composition!,
                cancellationToken);
        });
        return command;
    }

    /// <summary>Whether the option was written on the command line (not only its default).</summary>
    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static async Task<int> RunAsync(string[] urls, StoreChoice store, string[] bundles, TimeSpan approvalTimeout, int approvalStages, Uri? webhook,
        (string Spec, string? WorkingDirectory)[] upstreams, PluginComposition composition, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;

        // Spans (invoke_agent per run, execute_tool per call, ASP.NET Core requests) and metrics go over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
        using var telemetry = KeelTelemetry.CreateProviders();
        if (store.Validate() is { } storeError)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {storeError}");
            return ExitCodes.BadInput;
        }

        if (AgentBundles.Load(bundles, console, composition.Components) is not { } agents)
        {
            return ExitCodes.BadInput;
        }

        var upstreamOptions = new List<McpUpstreamOptions>();
        foreach (var (spec, workingDirectory) in upstreams)
        {
            var (parsed, error) = UpstreamSpec.Parse(spec);
            if (parsed is null)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error}");
                return ExitCodes.BadInput;
            }

            // An upstream from the configuration file starts in the file's folder, so relative paths in its command read as written there.
            if (workingDirectory is not null && parsed.Endpoint is null)
            {
                parsed.WorkingDirectory ??= workingDirectory;
            }

            upstreamOptions.Add(parsed);
        }

        await using var executor = upstreamOptions.Count == 0 ? null : McpToolExecutor.Create(upstreamOptions);
        if (executor is not null)
        {
            foreach (var failure in await executor.ConnectAsync(cancellationToken))
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] {failure} (the gateway retries; /ready answers 503 until it connects)");
            }

            foreach (var agentVersion in agents)
            {
                foreach (var mismatch in McpToolCompatibility.Check(agentVersion.Tools, executor.Tools))
                {
                    console.MarkupLineInterpolated($"[yellow]warning:[/] {agentVersion.AgentName}: {mismatch}");
                }
            }
        }

        var options = new KeelServerOptions
        {
            Storage = store.Configure,
            ApprovalTimeout = approvalTimeout,
            ApprovalStages = approvalStages,
            ApprovalWebhook = webhook,
            Executor = executor,
            UpstreamReady = executor is null ? null : _ => Task.FromResult(executor.IsReady),

            // The knowledge API's embeddings: all-MiniLM-L6-v2 in process, no network, loaded on the first /v1/knowledge request.
            Embeddings = () => new Keel.Embeddings.MiniLmEmbeddingGenerator(),
        };
        foreach (var version in agents)
        {
            options.Agents.Add(version);
        }

        foreach (var plugin in composition.Plugins)
        {
            options.Plugins.Add(plugin);
        }

        KeelServerApp server;
        try
        {
            server = await KeelServer.BuildAsync(
                options, [.. urls.SelectMany(u => u.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))], PlainLogs, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (StoreException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.StoreFailed;
        }

        await using var app = server.App;
        var requested = string.Join(", ", urls.Length == 0 ? [KeelServer.DefaultUrl] : urls);
        try
        {
            await server.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            // Kestrel's AddressInUseException and other bind failures: nothing was written, so no admin key exists that nobody saw.
            console.MarkupLineInterpolated($"[red]error:[/] could not listen on {requested}: {ex.Message} No workspace or key was created; stop the other process or choose a free address with --urls.");
            return ExitCodes.ListenFailed;
        }
        catch (StoreException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.StoreFailed;
        }

        var addresses = server.Addresses;
        console.MarkupLineInterpolated($"Keel gateway listening on [bold]{string.Join(", ", addresses)}[/] — agents: {string.Join(", ", agents.Select(a => $"{a.AgentName} {a.Version}"))}; {store.Describe()}");
        if (server.BootstrapAdminKey is { } key)
        {
            console.MarkupLineInterpolated($"Created workspace '{options.BootstrapWorkspace}'. Its platform_admin key (admin of '{options.BootstrapWorkspace}'; may also create workspaces), shown this once (store it; only its hash is kept):");
            console.WriteLine(key);
            console.MarkupLine("Lost it? 'keel key create --workspace default --role platform_admin' makes another from any shell that reaches the store (docs/administration.md).");
        }

        console.MarkupLine("OpenAPI: /openapi/v1.json. Press Ctrl+C to stop (requests in flight finish first).");
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    /// <summary>The server's console log has no colour when stdout is a file or a pipe, or <c>NO_COLOR</c> is set (https://no-color.org).</summary>
    private static void PlainLogs(WebApplicationBuilder builder)
    {
        if (Console.IsOutputRedirected || KeelConsole.NoColor(Environment.GetEnvironmentVariable))
        {
            builder.Services.Configure<SimpleConsoleFormatterOptions>(o => o.ColorBehavior = LoggerColorBehavior.Disabled);
        }
    }
}
