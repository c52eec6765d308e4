using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Hosting;

/// <summary>Reads an integer query parameter (a cursor, a page size) as text and checks its range, so that a bad value is a
/// 400 naming the parameter (<c>query:after</c>) rather than a binding failure or an exception deeper down.</summary>
internal static class QueryInteger
{
    /// <summary>Parses <paramref name="text"/> as a decimal integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="text">The parameter's value as sent; <see langword="null"/> or empty when absent.</param>
    /// <param name="name">The parameter's name, for the problem.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <param name="fallback">The value when the parameter is absent.</param>
    /// <returns>The value, or a 400 <c>invalid-request</c> problem whose <c>errors</c> name <c>query:&lt;name&gt;</c>.</returns>
    public static (long Value, IResult? Problem) Parse(string? text, string name, long min, long max, long fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (fallback, null);
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? (value, null)
            : (0, Problems.Invalid("query:" + name, string.Create(CultureInfo.InvariantCulture, $"{name} is a whole number from {min} to {max}")));
    }
}
