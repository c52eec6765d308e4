using System.Buffers;
using System.Text.RegularExpressions;

namespace Keel.Redaction;

/// <summary>The built-in detectors' patterns and the checks a match must pass (digit counts, issuer prefix, Luhn).</summary>
/// <remarks>Every pattern is bounded or split by characters its loops cannot contain, so a search is linear in the text; each
/// carries a 1-second timeout anyway, after which <see cref="Redactor"/> redacts the whole text (fail closed).</remarks>
internal static partial class BuiltInDetectors
{
    /// <summary>Timeout of every built-in pattern, in ms.</summary>
    public const int TimeoutMs = 1000;

    /// <summary>Literal prefixes of <see cref="KeyWithPrefix"/> and <see cref="PrivateKey"/>: a text without any of them is not searched for keys.</summary>
    public static readonly SearchValues<string> KeyPrefixes = SearchValues.Create(
        ["sk-", "sk_", "rk_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "AKIA", "ASIA", "AIza", "keel_", "eyJ", "-----BEGIN"],
        StringComparison.Ordinal);

    /// <summary>Words of <see cref="AuthorizationCredential"/> (compared case-insensitively) that must occur for it to match.</summary>
    public static readonly string[] CredentialTriggers = ["bearer", "authorization"];

    /// <summary>E-mail addresses: local part, <c>@</c>, dotted domain with a 2+ letter top-level label (RFC 5322 addr-spec, the common subset).</summary>
    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex Email();

    /// <summary>International numbers in E.164 style: <c>+</c>, country code, groups split by space, dot, dash or parentheses.</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z+])\+[1-9][0-9]{0,3}(?:[ .-]?\(?[0-9]{1,5}\)?){1,6}(?![0-9])", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex InternationalPhone();

    /// <summary>North American (NANP) numbers with separators: <c>555-123-4567</c>, <c>555.123.4567</c>, <c>(555) 123-4567</c>,
    /// <c>555 123 4567</c>, with an optional leading <c>1</c>.</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z+.-])(?:1[ .-])?(?:\([0-9]{3}\) ?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?![0-9A-Za-z]|[.-][0-9])", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex NorthAmericanPhone();

    /// <summary>National numbers with a trunk prefix <c>0</c> and separators: <c>020 7946 0958</c>, <c>07700 900123</c>,
    /// <c>01 23 45 67 89</c>, <c>030-1234567</c>.</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z+.,-])0[0-9]{1,4}(?:[ -][0-9]{2,6}){1,4}(?![0-9A-Za-z]|[.,-][0-9])", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex TrunkPhone();

    /// <summary>Card number candidates: 13–19 digits, optionally split by single spaces or dashes, not part of a longer number
    /// (<c>11.1234567890123</c> is an amount).</summary>
    [GeneratedRegex(@"(?<![0-9]|[0-9][.,])[0-9](?:[ -]?[0-9]){12,18}(?![0-9]|[.,][0-9])", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex CardCandidate();

    /// <summary>API keys and tokens with a published prefix: OpenAI and Anthropic (<c>sk-</c>), Stripe (<c>sk_live_</c>,
    /// <c>rk_test_</c>…), GitHub (<c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>, <c>github_pat_</c>), Slack
    /// (<c>xoxb-</c>, <c>xoxp-</c>…), AWS access key ids (<c>AKIA</c>, <c>ASIA</c>), Google API keys (<c>AIza</c>), Keel keys
    /// (<c>keel_&lt;id&gt;_&lt;secret&gt;</c>) and JSON Web Tokens (<c>eyJ….eyJ….…</c>).</summary>
    [GeneratedRegex(
        @"(?<![A-Za-z0-9_-])(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{36,}"
        + @"|github_pat_[A-Za-z0-9_]{22,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])|AIza[0-9A-Za-z_-]{35}"
        + @"|keel_[A-Za-z0-9]+_[A-Za-z0-9_-]{16,}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
        RegexOptions.CultureInvariant,
        TimeoutMs)]
    public static partial Regex KeyWithPrefix();

    /// <summary>PEM private keys (RFC 7468): from <c>-----BEGIN … PRIVATE KEY-----</c> to its END line, or to the end of the text
    /// when the END line is missing (a truncated key is still a key).</summary>
    [GeneratedRegex(@"-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z ]{0,40}PRIVATE KEY-----|[\s\S]*)", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex PrivateKey();

    /// <summary>Credentials of an HTTP <c>Authorization</c> header (RFC 6750 bearer tokens, RFC 7617 basic): group <c>v</c> is the credential.</summary>
    [GeneratedRegex(@"\b(?:[Bb]earer[ \t]+|[Aa]uthorization[""']?[ \t]*[:=][ \t]*[""']?[Bb]asic[ \t]+)(?<v>[A-Za-z0-9._~+/-]{12,}=*)", RegexOptions.CultureInvariant, TimeoutMs)]
    public static partial Regex AuthorizationCredential();

    /// <summary>Builds the <c>name=value</c> / <c>name: value</c> pattern for secret names; group <c>v</c> is the value (quoted or bare,
    /// up to 256 characters). A value that is already a redaction label, or an HTTP scheme (<c>Bearer …</c>, which
    /// <see cref="AuthorizationCredential"/> handles), is not a match.</summary>
    /// <param name="keys">The names; <c>_</c> and <c>-</c> in them also match a space, the other separator or nothing.</param>
    /// <returns>The compiled pattern, or <see langword="null"/> without names.</returns>
    public static Regex? SecretPair(IEnumerable<string> keys)
    {
        var alternatives = keys
            .Select(k => string.Join(@"[_\- ]?", k.Split(['_', '-'], StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(k => k.Length)
            .ToList();
        if (alternatives.Count == 0)
        {
            return null;
        }

        var pattern = $@"\b(?:{string.Join('|', alternatives)})[""']?[ \t]*[:=][ \t]*(?![""']?(?:bearer|basic)[ \t]|[""']?\[redacted:)(?:""(?<v>[^""\r\n]{{1,256}})""|'(?<v>[^'\r\n]{{1,256}})'|(?<v>[^\s""',;&}}\]\)]{{1,256}}))";
        return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled, TimeSpan.FromMilliseconds(TimeoutMs));
    }

    /// <summary>A word every match of <see cref="SecretPair"/> for this name contains: its last <c>_</c>/<c>-</c>-separated part
    /// (the parts may be joined differently in the text, but each occurs as written). The last part names what the value is
    /// (<c>key</c>, <c>token</c>, <c>secret</c>) and is rarer in ordinary text than the first (<c>api</c>, <c>access</c>, <c>client</c>).</summary>
    public static string SecretPairTrigger(string key) =>
        key.Split(['_', '-'], StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? key;

    /// <summary>The most digits in one run of digits and phone punctuation (space, <c>( ) . -</c>, <c>+</c>): overall, in runs
    /// split by punctuation between digits, and in runs holding a <c>+</c>. A text whose runs are short holds no card (13+
    /// digits), no international number (8+ with <c>+</c>) and no national number (9+, split), and is not searched for them.
    /// Dates (<c>2024-05-01</c>: 8 digits) and ids without separators (<c>9612497925</c>) stay below the phone thresholds.</summary>
    public static (int Digits, int DigitsSplit, int DigitsWithPlus) LongestDigitRun(ReadOnlySpan<char> text)
    {
        var (longest, longestSplit, longestWithPlus) = (0, 0, 0);
        var i = text.IndexOfAnyInRange('0', '9');
        while (i >= 0)
        {
            var plus = i > 0 && (text[i - 1] == '+' || (i > 1 && text[i - 1] is ' ' or '(' && text[i - 2] == '+'));
            var (digits, punctuation, split) = (0, false, false);
            var j = i;
            for (; j < text.Length; j++)
            {
                var c = text[j];
                if (char.IsAsciiDigit(c))
                {
                    digits++;
                    split |= punctuation;
                }
                else if (c is ' ' or '(' or ')' or '.' or '-' or '+')
                {
                    punctuation = true;
                    plus |= c == '+';
                }
                else
                {
                    break;
                }
            }

            longest = Math.Max(longest, digits);
            longestSplit = split ? Math.Max(longestSplit, digits) : longestSplit;
            longestWithPlus = plus ? Math.Max(longestWithPlus, digits) : longestWithPlus;
            var next = text[j..].IndexOfAnyInRange('0', '9');
            i = next < 0 ? -1 : j + next;
        }

        return (longest, longestSplit, longestWithPlus);
    }

    /// <summary>Whether the digits of a phone candidate have a plausible count: 8–15 for international numbers (E.164 allows at
    /// most 15), 10 or 11 for North American ones, 9–12 for national ones.</summary>
    public static bool IsPhone(ReadOnlySpan<char> match, int minDigits, int maxDigits)
    {
        var digits = 0;
        foreach (var c in match)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return digits >= minDigits && digits <= maxDigits;
    }

    /// <summary>Whether a candidate is a payment card number: 13–19 digits; groups (when split) of 3–6 digits, the last of 1–6;
    /// an issuer prefix of the payment industries (major industry identifier 3, 4, 5 or 6, or 22–27); not one repeated digit;
    /// and a valid Luhn check digit (ISO/IEC 7812-1 Annex B).</summary>
    /// <param name="match">The candidate.</param>
    /// <param name="lastFour">The last four digits when it is a card.</param>
    public static bool IsCard(ReadOnlySpan<char> match, out string lastFour)
    {
        lastFour = string.Empty;
        Span<char> digits = stackalloc char[19];
        var count = 0;
        var group = 0;
        foreach (var c in match)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
                group++;
                continue;
            }

            if (group is < 3 or > 6)
            {
                return false;
            }

            group = 0;
        }

        var number = digits[..count];
        var issuerOk = number[0] is '3' or '4' or '5' or '6' || (number[0] == '2' && number[1] is >= '2' and <= '7');
        if (!issuerOk || !number.ContainsAnyExcept(number[0]) || !Luhn(number))
        {
            return false;
        }

        lastFour = number[^4..].ToString();
        return true;
    }

    private static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }
}
