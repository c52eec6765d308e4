using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

[assembly: AssemblyFixture(typeof(Keel.Storage.Postgres.Tests.PostgresCluster))]

namespace Keel.Storage.Postgres.Tests;

/// <summary>A throwaway PostgreSQL cluster for the whole test run: found under /usr/lib/postgresql/&lt;newest&gt;/bin (installed with apt-get
/// when missing and running as root), initialized in a temp folder owned by the <c>postgres</c> user, listening on 127.0.0.1 on a free
/// port, stopped and deleted at the end. Each test gets its own database (<see cref="CreateDatabaseAsync"/>).</summary>
/// <remarks>When PostgreSQL cannot be installed or started, <see cref="InitializeAsync"/> throws and every test that needs the cluster
/// fails with the reason: these tests never skip. Durability is off (<c>fsync=off</c>): the cluster is deleted after the run.</remarks>
public sealed class PostgresCluster : IAsyncLifetime
{
    private static readonly bool s_isRoot = Environment.UserName == "root";
    private string? _folder;
    private string? _bin;
    private int _databases;

    /// <summary>The port the cluster listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>A superuser connection string to the <c>postgres</c> database, without pooling.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async ValueTask InitializeAsync()
    {
        _bin = FindBin() ?? await InstallAsync() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/<version>/bin) and could not be installed: "
            + (s_isRoot ? "apt-get install -y postgresql did not provide it" : "run the tests as root, or install it with 'apt-get install -y postgresql'"));
        _folder = Directory.CreateTempSubdirectory("keel-pg-").FullName;
        if (s_isRoot)
        {
            await RunAsync("chown", ["postgres", _folder]);
        }

        await ShellAsync($"{_bin}/initdb -D {_folder}/data -U postgres --auth=trust -E UTF8 --no-locale > {_folder}/initdb.log 2>&1", $"{_folder}/initdb.log");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var settings = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            try
            {
                await ShellAsync($"{_bin}/pg_ctl -D {_folder}/data -l {_folder}/server.log -w -t 60 -o '{settings}' start > {_folder}/pg_ctl.log 2>&1", $"{_folder}/server.log");
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between the probe and the start: try another.
            }
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it (a pool of at most 10 connections per data source).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = FormattableString.Invariant($"keel_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}")[..24];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=10";
    }

    /// <summary>Drops a database, closing whatever is still connected to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is null)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
            {
                await ShellAsync($"{_bin}/pg_ctl -D {_folder}/data -m immediate -w stop > {_folder}/stop.log 2>&1", $"{_folder}/stop.log");
            }
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The bin folder of the newest PostgreSQL under /usr/lib/postgresql, or <see langword="null"/>.</summary>
    private static string? FindBin()
    {
        const string Root = "/usr/lib/postgresql";
        return !Directory.Exists(Root) ? null : Directory.GetDirectories(Root)
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
            .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Bin, "initdb")) && File.Exists(Path.Combine(d.Bin, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Bin)
            .FirstOrDefault();
    }

    /// <summary>Installs Debian's postgresql package when running as root (its own cluster, if the package makes one, is not used).</summary>
    private static async Task<string?> InstallAsync()
    {
        if (!s_isRoot)
        {
            return null;
        }

        var log = Path.Combine(Path.GetTempPath(), $"keel-apt-{Guid.NewGuid():N}.log");
        try
        {
            await RunAsync("bash", ["-c", $"(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql) > {log} 2>&1"], log, TimeSpan.FromMinutes(10));
        }
        catch (InvalidOperationException) when (FindBin() is not null)
        {
            // The package's own cluster may fail to start without an init system; the binaries are what the tests need.
        }

        return FindBin();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a shell command as the <c>postgres</c> user when root (initdb and the server refuse root), else as the current user.</summary>
    private static Task ShellAsync(string command, string log) =>
        s_isRoot ? RunAsync("su", ["postgres", "-c", command], log) : RunAsync("bash", ["-c", command], log);

    private static async Task RunAsync(string file, string[] arguments, string? log = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var error = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
        {
            var details = log is not null && File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty;
            throw new InvalidOperationException(
                $"PostgreSQL for the tests could not be set up: '{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}. {await output}{await error}{details}");
        }
    }
}
