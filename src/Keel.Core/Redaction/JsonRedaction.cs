using System.Globalization;
using System.Text;

namespace Keel.Redaction;

/// <summary>Redacts JSON text in place: a single pass over its tokens that rewrites only the string and number tokens that
/// need it, so the layout of the rest is kept and nothing is allocated when nothing is found.</summary>
/// <remarks>This is a tokenizer, not a validator: it checks that the text is made of JSON tokens (strings, numbers,
/// <c>true</c>, <c>false</c>, <c>null</c>, punctuation) and gives up on anything else, so the caller can redact it as text.</remarks>
internal static class JsonRedaction
{
    private const string SecretLabel = "[redacted:secret]";

    /// <summary>Redacts <paramref name="json"/> as JSON.</summary>
    /// <param name="redactor">The redactor whose detectors apply to each string value.</param>
    /// <param name="json">The text.</param>
    /// <param name="result">The redacted text (the same instance when nothing was found).</param>
    /// <returns>Whether the text was made of JSON tokens; when not, <paramref name="result"/> is the input, unredacted.</returns>
    public static bool TryRedact(Redactor redactor, string json, out string result)
    {
        result = json;
        StringBuilder? output = null;
        var copied = 0;
        var secretValue = false;
        var i = 0;
        while (i < json.Length)
        {
            var c = json[i];
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n' or ':' or ',' or '}' or ']':
                    i++;
                    continue;
                case '{' or '[':
                    secretValue = false; // a secret name over an object or array: its members are redacted one by one
                    i++;
                    continue;
                case '"':
                    var end = ScanString(json, i + 1, out var escaped);
                    if (end < 0)
                    {
                        return false;
                    }

                    var content = json.AsSpan(i + 1, end - i - 1);
                    if (IsPropertyName(json, end + 1))
                    {
                        secretValue = redactor.IsSecretKey(escaped ? Unescape(content) : content);
                    }
                    else if (secretValue)
                    {
                        secretValue = false;
                        if (!content.SequenceEqual(SecretLabel))
                        {
                            Splice(ref output, json, ref copied, i + 1, end, SecretLabel);
                        }
                    }
                    else
                    {
                        var redacted = RedactValue(redactor, escaped ? Unescape(content) : content);
                        if (redacted is not null)
                        {
                            // Unescaped content had no quote, backslash or control character, and labels add none: splice it as is.
                            Splice(ref output, json, ref copied, i + 1, end, escaped ? Escape(redacted) : redacted);
                        }
                    }

                    i = end + 1;
                    continue;
                case '-' or (>= '0' and <= '9'):
                    var start = i;
                    while (i < json.Length && json[i] is (>= '0' and <= '9') or '-' or '+' or '.' or 'e' or 'E')
                    {
                        i++;
                    }

                    var replacement = secretValue ? SecretLabel : redactor.CardReplacement(json.AsSpan(start, i - start));
                    secretValue = false;
                    if (replacement is not null)
                    {
                        Splice(ref output, json, ref copied, start, i, "\"" + replacement + "\"");
                    }

                    continue;
                case 't' or 'f' or 'n':
                    var literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
                    if (!json.AsSpan(i).StartsWith(literal, StringComparison.Ordinal))
                    {
                        return false;
                    }

                    if (secretValue && c != 'n')
                    {
                        Splice(ref output, json, ref copied, i, i + literal.Length, "\"" + SecretLabel + "\"");
                    }

                    secretValue = false;
                    i += literal.Length;
                    continue;
                default:
                    return false;
            }
        }

        if (output is not null)
        {
            result = output.Append(json, copied, json.Length - copied).ToString();
        }

        return true;
    }

    /// <summary>Redacts a string value: as JSON when it holds a JSON object or array (tool output inside a recording), else as text.</summary>
    /// <returns>The redacted value, or <see langword="null"/> when nothing was found.</returns>
    private static string? RedactValue(Redactor redactor, ReadOnlySpan<char> value)
    {
        var start = value.IndexOfAnyExcept(" \t\r\n");
        if (start >= 0 && value[start] is '{' or '[')
        {
            var text = value.ToString();
            if (TryRedact(redactor, text, out var redacted))
            {
                return ReferenceEquals(redacted, text) ? null : redacted;
            }
        }

        return redactor.RedactSpan(value);
    }

    /// <summary>The index of the closing quote of a string whose content starts at <paramref name="start"/>, or -1.</summary>
    private static int ScanString(string json, int start, out bool escaped)
    {
        escaped = false;
        for (var i = start; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\')
            {
                escaped = true;
                i++;
            }
            else if (c < ' ')
            {
                return -1; // a raw control character: not JSON
            }
        }

        return -1;
    }

    private static bool IsPropertyName(string json, int after)
    {
        var next = json.AsSpan(after).IndexOfAnyExcept(" \t\r\n");
        return next >= 0 && json[after + next] == ':';
    }

    private static void Splice(ref StringBuilder? output, string json, ref int copied, int start, int end, string replacement)
    {
        output ??= new StringBuilder(json.Length + 32);
        output.Append(json, copied, start - copied).Append(replacement);
        copied = end;
    }

    /// <summary>Decodes the escapes of a JSON string's content (RFC 8259 §7).</summary>
    private static string Unescape(ReadOnlySpan<char> content)
    {
        var builder = new StringBuilder(content.Length);
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c != '\\' || i + 1 >= content.Length)
            {
                builder.Append(c);
                continue;
            }

            var e = content[++i];
            if (e == 'u' && i + 4 < content.Length
                && int.TryParse(content.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 4;
                continue;
            }

            builder.Append(e switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'b' => '\b', 'f' => '\f', _ => e });
        }

        return builder.ToString();
    }

    /// <summary>Escapes text as the content of a JSON string: quote, backslash and control characters; the rest as is.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
