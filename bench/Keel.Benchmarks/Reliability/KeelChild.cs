using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Keel.Benchmarks.Reliability;

/// <summary>A real <c>keel serve</c> process (<c>dotnet keel.dll serve …</c>) on 127.0.0.1 and an ephemeral port, with what it
/// printed: its address and, on the first start, the bootstrap platform_admin key.</summary>
internal sealed partial class KeelChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private KeelChild(Process process) => _process = process;

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The bootstrap key printed on the first start, or <see langword="null"/>.</summary>
    public string? AdminKey { get; private set; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Everything printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="keelDll"/> serve --db … --agent … --urls http://127.0.0.1:0</c> and waits until
    /// it prints its address (and the key, on a first start).</summary>
    /// <param name="keelDll">The built CLI (<c>keel.dll</c>).</param>
    /// <param name="database">The SQLite file.</param>
    /// <param name="bundle">The agent bundle folder.</param>
    /// <param name="upstream">An <c>--upstream</c> value, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Gives up waiting (the process is killed).</param>
    /// <exception cref="InvalidOperationException">The process exited before it listened.</exception>
    public static async Task<KeelChild> StartAsync(string keelDll, string database, string bundle, string? upstream, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(keelDll)!,
        };
        foreach (var arg in (string[])[keelDll, "serve", "--db", database, "--agent", bundle, "--urls", "http://127.0.0.1:0"])
        {
            info.ArgumentList.Add(arg);
        }

        if (upstream is not null)
        {
            info.ArgumentList.Add("--upstream");
            info.ArgumentList.Add(upstream);
        }

        // Wide lines, so that the address and the key are never wrapped.
        info.Environment["COLUMNS"] = "400";
        var child = new KeelChild(Process.Start(info)!);
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                var text = child.Output;
                if (Listening().Match(text) is { Success: true } address && (text.Contains("Press Ctrl+C", StringComparison.Ordinal)))
                {
                    child.Address = new Uri(address.Groups[1].Value);
                    child.AdminKey = KeyLine().Match(text) is { Success: true } key ? key.Value : null;
                    return child;
                }

                if (child._process.HasExited)
                {
                    throw new InvalidOperationException($"keel serve exited with {child._process.ExitCode} before it listened:\n{text}");
                }

                await Task.Delay(50, cancellationToken);
            }
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL (<c>kill -9</c>) to the server and its children (the stdio tool server), then waits for the exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"(?m)^keel_[0-9a-f]{12}_[A-Za-z0-9_-]+$")]
    private static partial Regex KeyLine();
}
