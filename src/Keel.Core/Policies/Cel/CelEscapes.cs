using System.Globalization;
using System.Text;

namespace Keel.Policies.Cel;

/// <summary>
/// Decodes CEL string escapes: <c>\a \b \f \n \r \t \v \\ \' \" \` \?</c>, <c>\xHH</c>,
/// <c>\uXXXX</c>, <c>\UXXXXXXXX</c> and octal <c>\ooo</c>.
/// </summary>
internal static class CelEscapes
{
    private const string Supported = "\\n \\t \\r \\\\ \\' \\\" \\uXXXX \\UXXXXXXXX \\xHH";

    /// <summary>Reads the escape starting at the backslash at <paramref name="pos"/> and appends its character.</summary>
    /// <returns>False, with a fix-oriented <paramref name="problem"/>, if the escape is invalid.</returns>
    public static bool TryRead(string source, ref int pos, StringBuilder text, out string? problem)
    {
        problem = null;
        char kind = pos + 1 < source.Length ? source[pos + 1] : '\0';
        char? simple = kind switch
        {
            'a' => '\a',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\v',
            '\\' or '\'' or '"' or '`' or '?' => kind,
            _ => null,
        };
        if (simple is { } c)
        {
            text.Append(c);
            pos += 2;
            return true;
        }

        (int digits, NumberStyles style) = kind switch
        {
            'x' or 'X' => (2, NumberStyles.AllowHexSpecifier),
            'u' => (4, NumberStyles.AllowHexSpecifier),
            'U' => (8, NumberStyles.AllowHexSpecifier),
            >= '0' and <= '3' => (3, NumberStyles.None),
            _ => (0, NumberStyles.None),
        };
        if (digits == 0)
        {
            problem = kind is '\0' or '\n' or '\r'
                ? "unterminated escape sequence at the end of the line"
                : $"invalid escape sequence '\\{kind}'; supported escapes are {Supported}";
            return false;
        }

        bool octal = style == NumberStyles.None;
        int start = octal ? pos + 1 : pos + 2;
        if (start + digits > source.Length || !TryParseDigits(source.AsSpan(start, digits), octal, style, out int code))
        {
            problem = octal
                ? "invalid octal escape; expected three octal digits such as \\101"
                : $"invalid \\{kind} escape; expected {digits} hex digits";
            return false;
        }

        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        {
            problem = $"invalid \\{kind} escape; U+{code:X} is not a Unicode scalar value";
            return false;
        }

        text.Append(char.ConvertFromUtf32(code));
        pos = start + digits;
        return true;
    }

    private static bool TryParseDigits(ReadOnlySpan<char> digits, bool octal, NumberStyles style, out int code)
    {
        if (!octal)
        {
            return int.TryParse(digits, style, CultureInfo.InvariantCulture, out code) && code >= 0;
        }

        code = 0;
        foreach (char d in digits)
        {
            if (d is < '0' or > '7')
            {
                return false;
            }

            code = (code * 8) + (d - '0');
        }

        return true;
    }
}
