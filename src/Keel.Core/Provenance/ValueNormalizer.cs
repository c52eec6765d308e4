using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Keel.Provenance;

/// <summary>
/// Finds the values provenance is matched on in free text and in tool arguments, in normalized form, so that a value copied
/// from one place to another is recognised even when its spelling changes: IBANs (spaces removed, upper case), email
/// addresses (lower case), URLs (no scheme, no <c>www.</c>, no trailing slash, lower-case), file names, phone numbers (digits
/// only), dates (ISO <c>yyyy-MM-dd</c>, from ISO or English text such as "May 1st, 2024" or "the 5th of May 2024"; plus the
/// month and day alone as kind <c>day</c>), times (<c>HH:mm</c>), amounts (invariant decimal, thousands separators and currency signs removed,
/// integers below 10 ignored as too common to trace) and ids (tokens of 5+ characters mixing letters and digits, lower case).
/// Thread-safe.
/// </summary>
public static partial class ValueNormalizer
{
    /// <summary>Shortest whole string traced as kind <c>text</c>: 3 characters. Shorter strings match almost anywhere.</summary>
    public const int MinTextLength = 3;

    /// <summary>Longest whole string traced as kind <c>text</c>: 200 characters. Longer strings are composed text, traced by the values inside them.</summary>
    public const int MaxTextLength = 200;

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>The values in a text, in the order found; each kind's matches are removed from the text before the next kind is looked for (an IBAN is not also a phone number).</summary>
    /// <param name="text">Any text: a message, a tool output, an argument.</param>
    /// <returns>The atoms (may repeat).</returns>
    public static List<ValueAtom> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var atoms = new List<ValueAtom>();
        if (text.Length == 0)
        {
            return atoms;
        }

        var rest = text;
        rest = Take(rest, IbanPattern(), atoms, m => Iban(m.Value));
        rest = Take(rest, EmailPattern(), atoms, m => new ValueAtom("email", m.Value.ToLowerInvariant()));
        rest = Take(rest, UrlPattern(), atoms, m => Url(m.Value));
        rest = Take(rest, FilePattern(), atoms, m => new ValueAtom("file", m.Value.ToLowerInvariant()));
        rest = TakeDates(rest, atoms);
        rest = Take(rest, TimePattern(), atoms, m => new ValueAtom("time", m.Value.PadLeft(5, '0')[..5]));
        rest = Take(rest, PhonePattern(), atoms, m => Phone(m.Value));
        rest = Take(rest, AmountPattern(), atoms, m => Amount(m.Value));
        Take(rest, IdPattern(), atoms, m => new ValueAtom("id", m.Value.ToLowerInvariant()));
        return atoms;
    }

    /// <summary>The values of one argument: for a string, the values inside it plus the whole string (kind <c>text</c>) when it is
    /// 3–200 characters; for a number, the amount; nothing for booleans and null. Arrays and objects are not descended into here.</summary>
    /// <param name="value">The argument's JSON value.</param>
    /// <returns>The atoms.</returns>
    public static List<ValueAtom> ForArgument(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                var atoms = Extract(text);
                var whole = NormalizeText(text);
                if (whole.Length is >= MinTextLength and <= MaxTextLength && !atoms.Exists(a => a.Value == whole))
                {
                    atoms.Add(new ValueAtom("text", whole));
                }

                return atoms;
            case JsonValueKind.Number:
                return value.TryGetDecimal(out var number) && Amount(number) is { } amount ? [amount] : [];
            default:
                return [];
        }
    }

    /// <summary>Normalizes text for whole-string matching: lower case, runs of whitespace as one space, surrounding quotes,
    /// spaces and sentence punctuation removed.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The normalized text.</returns>
    public static string NormalizeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString().Trim('"', '\'', '.', ',', ';', ':', '!', '?', ' ');
    }

    private static string Take(string text, Regex pattern, List<ValueAtom> atoms, Func<Match, ValueAtom?> normalize) =>
        pattern.Replace(text, match =>
        {
            if (normalize(match) is not { } atom)
            {
                return match.Value;
            }

            atoms.Add(atom);
            return " ";
        });

    private static string TakeDates(string text, List<ValueAtom> atoms)
    {
        text = Take(text, IsoDatePattern(), atoms, m => Date(m.Groups["y"].Value, m.Groups["m"].Value, m.Groups["d"].Value, atoms));
        return Take(text, NaturalDatePattern(), atoms, m =>
        {
            var month = (m.Groups["mon"].Success ? m.Groups["mon"] : m.Groups["mon2"]).Value;
            var day = (m.Groups["day"].Success ? m.Groups["day"] : m.Groups["day2"]).Value;
            var year = (m.Groups["year"].Success ? m.Groups["year"] : m.Groups["year2"]).Value;
            var monthNumber = Array.IndexOf(Months, month[..3].ToLowerInvariant()) + 1;
            return Date(year, monthNumber.ToString("00", CultureInfo.InvariantCulture), day, atoms);
        });
    }

    private static ValueAtom? Date(string year, string month, string day, List<ValueAtom> atoms)
    {
        if (!int.TryParse(month, CultureInfo.InvariantCulture, out var m) || !int.TryParse(day, CultureInfo.InvariantCulture, out var d) || m is < 1 or > 12 || d is < 1 or > 31)
        {
            return null;
        }

        var monthDay = $"{m:00}-{d:00}";
        if (year.Length == 0)
        {
            return new ValueAtom("day", monthDay);
        }

        atoms.Add(new ValueAtom("day", monthDay));
        return new ValueAtom("date", $"{year}-{monthDay}");
    }

    private static ValueAtom? Iban(string text)
    {
        var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return compact.Length is >= 15 and <= 34 ? new ValueAtom("iban", compact) : null;
    }

    private static ValueAtom Url(string text)
    {
        var url = text.ToLowerInvariant();
        foreach (var prefix in (string[])["https://", "http://"])
        {
            if (url.StartsWith(prefix, StringComparison.Ordinal))
            {
                url = url[prefix.Length..];
            }
        }

        if (url.StartsWith("www.", StringComparison.Ordinal))
        {
            url = url[4..];
        }

        return new ValueAtom("url", url.TrimEnd('/', '.', ',', ';', ':', '!', '?'));
    }

    private static ValueAtom? Phone(string text)
    {
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length is >= 8 and <= 15 ? new ValueAtom("phone", digits) : null;
    }

    private static ValueAtom? Amount(string text)
    {
        var cleaned = text.Replace(",", string.Empty, StringComparison.Ordinal).TrimStart('$', '€', '£', ' ');
        return decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? Amount(value) : null;
    }

    private static ValueAtom? Amount(decimal value)
    {
        var magnitude = Math.Abs(value);
        if (magnitude < 10 && decimal.Truncate(magnitude) == magnitude)
        {
            return null;
        }

        return new ValueAtom("amount", (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b(?:https?://)?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:com|org|net|io|ai|co|edu|gov|info|biz|app|dev|me|uk|de|ch|fr|us|eu)\b(?:/[^\s'""<>)\]]*)?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\b[\w-]+\.(?:txt|docx?|xlsx?|pdf|csv|pptx?|json|md|jpe?g|png)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex FilePattern();

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDatePattern();

    [GeneratedRegex(@"\b(?:(?<day>\d{1,2})(?:st|nd|rd|th)?(?: of)? (?<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b,?(?: (?<year>\d{4}))?|(?<mon2>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? (?<day2>\d{1,2})(?:st|nd|rd|th)?\b,?(?: (?<year2>\d{4}))?)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NaturalDatePattern();

    [GeneratedRegex(@"\b\d{1,2}:\d{2}(?::\d{2})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"(?<![\w.])\+?\d[\d ().-]{6,}\d(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"(?<![\w.])[$€£]? ?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9_-]{4,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
