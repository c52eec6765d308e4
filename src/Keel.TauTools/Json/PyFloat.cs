using System.Globalization;
using System.Numerics;
using System.Text;

namespace Keel.TauTools.Json;

/// <summary>Python's text and rounding rules for <c>float</c>, which tau-bench's tool results are made of.</summary>
/// <remarks>
/// Sources: CPython <c>Objects/floatobject.c</c> (<c>float_repr</c>, <c>double_round</c>) and <c>Python/pystrtod.c</c>
/// (<c>PyOS_double_to_string</c> with mode <c>'r'</c>): the shortest text that reads back as the same double, in positional
/// notation when the decimal exponent is in [-4, 16), otherwise as <c>d.ddde±XX</c>; <c>round(x, n)</c> rounds the exact
/// binary value half-to-even. Stateless and thread-safe.
/// </remarks>
public static class PyFloat
{
    /// <summary>Python's <c>repr()</c>/<c>str()</c> of a float: <c>255.0</c>, <c>0.1</c>, <c>1e-05</c>, <c>1e+16</c>, <c>inf</c>, <c>nan</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var (negative, digits, point) = ShortestDigits(value);
        var text = new StringBuilder(24);
        if (negative)
        {
            text.Append('-');
        }

        if (digits.Length == 0)
        {
            return text.Append("0.0").ToString();
        }

        if (point is > -4 and <= 16)
        {
            if (point <= 0)
            {
                text.Append("0.").Append('0', -point).Append(digits);
            }
            else if (point >= digits.Length)
            {
                text.Append(digits).Append('0', point - digits.Length).Append(".0");
            }
            else
            {
                text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
            }

            return text.ToString();
        }

        var exponent = point - 1;
        text.Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }

        text.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>Python's <c>round(x, digits)</c> for a float: the exact binary value rounded half-to-even to <paramref name="digits"/> places, read back as the nearest double.</summary>
    /// <param name="value">The value; NaN and infinities are returned unchanged.</param>
    /// <param name="digits">Decimal places, 0 to 15.</param>
    /// <returns>The rounded value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is outside 0 to 15.</exception>
    public static double Round(double value, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 15);
        if (!double.IsFinite(value) || value == 0)
        {
            return value;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var biased = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & 0xFFFFFFFFFFFFFL;
        var mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        var exponent = (biased == 0 ? 1 : biased) - 1075;
        if (exponent >= 0)
        {
            return value; // an integer already
        }

        var numerator = new BigInteger(mantissa) * BigInteger.Pow(10, digits);
        var denominator = BigInteger.One << -exponent;
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        var text = quotient.ToString(CultureInfo.InvariantCulture) + "E-" + digits.ToString(CultureInfo.InvariantCulture);
        var rounded = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return negative ? -rounded : rounded;
    }

    /// <summary>The shortest round-trip digits of a finite double: value = 0.DIGITS × 10^point, no leading or trailing zeros (empty for zero).</summary>
    private static (bool Negative, string Digits, int Point) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? text : text[..dot];
        var all = dot < 0 ? text : integerPart + text[(dot + 1)..];
        var leading = 0;
        while (leading < all.Length && all[leading] == '0')
        {
            leading++;
        }

        var digits = all[leading..].TrimEnd('0');
        var point = integerPart.Length + exponent - leading;
        return (negative, digits, point);
    }
}
