using System.CommandLine;
using System.CommandLine.Parsing;

namespace Keel.Cli.Commands;

/// <summary>An option whose value is an absolute http:// or https:// URL. System.CommandLine has no <see cref="Uri"/> converter, so the value is
/// parsed here: anything else is a parse error naming the option, the value and the fix (exit code 2, <see cref="ExitCodes.BadInput"/>).</summary>
internal static class HttpUrlOption
{
    /// <summary>Creates the option.</summary>
    /// <param name="name">The option's name, e.g. <c>--approval-webhook</c>.</param>
    /// <param name="description">The help text.</param>
    /// <param name="example">An example URL for the error message, e.g. <c>https://hooks.slack.com/services/...</c>.</param>
    public static Option<Uri?> Create(string name, string description, string example) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, name, example),
    };

    /// <summary>Parses the option's one token; adds an error to <paramref name="result"/> and returns <see langword="null"/> when it is no http(s) URL.</summary>
    internal static Uri? Parse(ArgumentResult result, string name, string example)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
        {
            return uri;
        }

        // "/hook" is an absolute file URI on Unix, so the scheme is read from the text: none means the address is not absolute.
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var why = schemeEnd > 0 && !text[..schemeEnd].Equals(Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) && !text[..schemeEnd].Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase)
            ? $"its scheme is '{text[..schemeEnd]}', not http or https"
            : schemeEnd > 0 ? "it names no host" : "it is not an absolute URL";
        result.AddError($"{name} '{text}' is not an http:// or https:// URL ({why}); give the full address, e.g. {example}.");
        return null;
    }
}
