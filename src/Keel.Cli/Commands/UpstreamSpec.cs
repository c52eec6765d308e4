using Keel.Mcp.Upstream;

namespace Keel.Cli.Commands;

/// <summary>Parses <c>--upstream</c> values: <c>name=command arg…</c> for a stdio MCP server, or <c>name=http(s)://…</c> for an
/// MCP server over HTTP. Arguments are split on spaces; double quotes keep spaces inside one argument.</summary>
internal static class UpstreamSpec
{
    /// <summary>Parses one value.</summary>
    /// <param name="value">E.g. <c>tau=dotnet path/keel-tau-tools.dll --domain airline --previews</c>.</param>
    /// <returns>The upstream settings, or an error that says what to write.</returns>
    public static (McpUpstreamOptions? Options, string? Error) Parse(string value)
    {
        var separator = value.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0 || separator == value.Length - 1)
        {
            return (null, $"--upstream '{value}' is not name=command: write e.g. tau=\"dotnet path/keel-tau-tools.dll --domain airline\"");
        }

        var name = value[..separator].Trim();
        var target = value[(separator + 1)..].Trim();
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return (new McpUpstreamOptions { Name = name, Endpoint = uri }, null);
        }

        var words = Split(target);
        if (words is null || words.Count == 0)
        {
            return (null, $"--upstream '{value}': the command has an unclosed quote or is empty");
        }

        return (new McpUpstreamOptions { Name = name, Command = words[0], Arguments = [.. words.Skip(1)] }, null);
    }

    private static List<string>? Split(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (quoted)
        {
            return null;
        }

        if (any)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
