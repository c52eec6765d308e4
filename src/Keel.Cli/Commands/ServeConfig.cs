using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Keel.Cli.Commands;

/// <summary>The configuration file of <c>keel serve --config &lt;file&gt;</c> (YAML): the same settings as the flags, so a deployment is
/// one file under version control instead of a long command line. A flag given on the command line wins over the file; relative
/// paths in the file (agents, the SQLite file, upstream working folders) are relative to the file's folder. docs/configuration.md.</summary>
/// <remarks>Every key is optional. An unknown key or a value of the wrong type is an error naming <c>file:line:column</c>.</remarks>
internal sealed class ServeConfig
{
    /// <summary>Addresses to listen on (<c>--urls</c>).</summary>
    public List<string>? Urls { get; set; }

    /// <summary>Agent bundle folders (<c>--agent</c>).</summary>
    public List<string>? Agents { get; set; }

    /// <summary>The store (<c>--store</c>, <c>--db</c>, <c>--connection</c>).</summary>
    public StoreSection? Store { get; set; }

    /// <summary>Approvals (<c>--approval-timeout</c>, <c>--approval-stages</c>, <c>--approval-webhook</c>).</summary>
    public ApprovalsSection? Approvals { get; set; }

    /// <summary>Upstream MCP tool servers (<c>--upstream</c>), each <c>name=command args</c> or <c>name=http://…</c>.</summary>
    public List<string>? Upstreams { get; set; }

    /// <summary>The folder relative paths are resolved against (the file's folder); not read from the file.</summary>
    [YamlIgnore]
    public string BaseDirectory { get; set; } = Directory.GetCurrentDirectory();

    /// <summary><c>store:</c>.</summary>
    internal sealed class StoreSection
    {
        /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
        public string? Kind { get; set; }

        /// <summary>The SQLite file.</summary>
        public string? Db { get; set; }

        /// <summary>The PostgreSQL connection string (leave the password out: PGPASSWORD or ~/.pgpass).</summary>
        public string? Connection { get; set; }
    }

    /// <summary><c>approvals:</c>.</summary>
    internal sealed class ApprovalsSection
    {
        /// <summary>How long a held call waits, e.g. <c>00:30:00</c>.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>How many different people must approve.</summary>
        public int? Stages { get; set; }

        /// <summary>The Slack-compatible webhook URL (http or https).</summary>
        public Uri? Webhook { get; set; }
    }

    /// <summary>Reads a configuration file.</summary>
    /// <param name="path">The YAML file.</param>
    /// <returns>The configuration, or the error to print (exit code 2): a missing file, or <c>file:line:column: what is wrong</c>.</returns>
    public static (ServeConfig? Config, string? Error) Load(string path)
    {
        if (!File.Exists(path))
        {
            return (null, $"the configuration file {path} does not exist");
        }

        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        try
        {
            using var reader = new StreamReader(path);
            var config = deserializer.Deserialize<ServeConfig?>(reader) ?? new ServeConfig();
            config.BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (config.Approvals?.Webhook is { } webhook && (!webhook.IsAbsoluteUri || webhook.Scheme is not ("http" or "https")))
            {
                return (null, $"{path}: approvals.webhook '{webhook}' is not an http(s) URL");
            }

            return (config, null);
        }
        catch (YamlException ex)
        {
            var reason = (ex.InnerException?.Message ?? ex.Message).Split('\n')[0].Trim();
            return (null, $"{path}:{ex.Start.Line}:{ex.Start.Column}: {reason}. Keys: urls, agents, store (kind, db, connection), approvals (timeout, stages, webhook), upstreams.");
        }
    }

    /// <summary>A path from the file, resolved against <see cref="BaseDirectory"/>.</summary>
    /// <param name="path">A path as written in the file.</param>
    /// <returns>The full path.</returns>
    public string Resolve(string path) => Path.GetFullPath(path, BaseDirectory);
}
