using System.Globalization;
using System.Text;

namespace Keel.TauTools.Tools;

/// <summary>Python's <c>repr()</c> of a string, used where tau-bench's error text quotes a value (<c>KeyError: 'x'</c>).</summary>
/// <remarks>Source: CPython <c>unicode_repr</c>: single quotes unless the text holds a single quote and no double quote;
/// backslash, the quote, <c>\n</c>, <c>\r</c>, <c>\t</c> and other control characters escaped. Stateless and thread-safe.</remarks>
internal static class PyText
{
    public static string Repr(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder(value.Length + 2).Append(quote);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                '\t' => text.Append(@"\t"),
                _ when c == quote => text.Append('\\').Append(c),
                _ when c < ' ' || c == '\x7f' => text.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append(quote).ToString();
    }
}
