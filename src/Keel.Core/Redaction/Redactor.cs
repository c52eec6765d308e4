using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Keel.Redaction;

/// <summary>Removes secrets and personal data from text before it is stored or exported: API keys and other secrets, payment
/// card numbers, e-mail addresses, phone numbers and the operator's own patterns (<see cref="RedactionOptions"/>). Each match
/// is replaced by a fixed label such as <c>[redacted:email]</c>, so the same input always redacts to the same output.</summary>
/// <remarks>
/// <para>Text that is a JSON object or array (tool arguments, most tool outputs) is redacted as JSON: string values are redacted
/// one by one, the values of secret names (<see cref="RedactionOptions.SecretKeys"/>) are replaced whole, card numbers written as
/// JSON numbers become strings, and the result is valid JSON with the original layout. Other text is redacted as text.</para>
/// <para>Redacting is idempotent (redacting redacted text changes nothing) and allocates nothing when nothing is found.
/// Immutable and thread-safe; build one per configuration and share it.</para>
/// </remarks>
public sealed class Redactor
{
    private static readonly Lazy<Redactor> s_default = new(() => new Redactor(new RedactionOptions()));

    private readonly bool _emails;
    private readonly bool _phones;
    private readonly bool _cards;
    private readonly bool _secrets;
    private readonly bool _keepLastFour;
    private readonly Regex? _secretPair;
    private readonly FrozenSet<string> _secretKeys;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _allowList;
    private readonly bool _hasAllowList;
    private readonly (Regex Regex, string Replacement)[] _patterns;
    private readonly SearchValues<string> _secretTriggers;

    /// <summary>Creates a redactor.</summary>
    /// <param name="options">The settings; validated and copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting is invalid (see <see cref="RedactionOptions.Validate"/>).</exception>
    public Redactor(RedactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _emails = options.Emails;
        _phones = options.PhoneNumbers;
        _cards = options.PaymentCards;
        _secrets = options.Secrets;
        _keepLastFour = options.KeepCardLastFour;
        _secretKeys = (_secrets ? options.SecretKeys.Select(NormalizeKey) : []).ToFrozenSet(StringComparer.Ordinal);
        _secretPair = _secrets ? BuiltInDetectors.SecretPair(options.SecretKeys) : null;
        _secretTriggers = SearchValues.Create(
            [.. BuiltInDetectors.CredentialTriggers, .. options.SecretKeys.Select(BuiltInDetectors.SecretPairTrigger)], StringComparison.OrdinalIgnoreCase);
        var allow = options.AllowList.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _hasAllowList = allow.Count > 0;
        _allowList = allow.GetAlternateLookup<ReadOnlySpan<char>>();
        _patterns = [.. options.Patterns.Select(p => (
            new Regex(p.Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, options.PatternTimeout),
            $"[redacted:{p.Name}]"))];
    }

    /// <summary>The redactor with the default <see cref="RedactionOptions"/>: every built-in detector on, no patterns of the operator's own.</summary>
    public static Redactor Default => s_default.Value;

    /// <summary>Redacts a text; a JSON object or array is redacted as JSON (see <see cref="RedactJson"/>), anything else as text.</summary>
    /// <param name="text">Any text: a message, tool arguments, a tool output.</param>
    /// <returns>The redacted text; the same instance when nothing was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (LooksLikeJson(text) && JsonRedaction.TryRedact(this, text, out var json))
        {
            return json;
        }

        return RedactSpan(text) ?? text;
    }

    /// <summary>Redacts JSON text: each string value is redacted as text, the value of every secret name is replaced whole
    /// (<c>"password": "[redacted:secret]"</c>, also when it is a number or boolean), and card numbers written as JSON numbers become the
    /// string <c>"[redacted:card …]"</c>. Layout, property order and everything else stay as they were, so valid JSON stays valid.</summary>
    /// <param name="json">JSON text. Text that is not JSON (for example a truncated document) is redacted as text instead.</param>
    /// <returns>The redacted JSON; the same instance when nothing was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    public string RedactJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonRedaction.TryRedact(this, json, out var redacted) ? redacted : RedactSpan(json) ?? json;
    }

    /// <summary>Whether a JSON property or <c>name=value</c> name holds a secret (<see cref="RedactionOptions.SecretKeys"/>),
    /// compared case-insensitively with <c>_</c>, <c>-</c> and spaces ignored.</summary>
    /// <param name="name">The name, e.g. <c>apiKey</c>.</param>
    /// <returns>Whether its value is redacted whole.</returns>
    public bool IsSecretKey(ReadOnlySpan<char> name)
    {
        if (_secretKeys.Count == 0 || name.Length > 64)
        {
            return false;
        }

        Span<char> normalized = stackalloc char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (c is not ('_' or '-' or ' '))
            {
                normalized[length++] = char.ToLowerInvariant(c);
            }
        }

        return _secretKeys.GetAlternateLookup<ReadOnlySpan<char>>().Contains(normalized[..length]);
    }

    /// <summary>Redacts plain text.</summary>
    /// <returns>The redacted text, or <see langword="null"/> when nothing was found.</returns>
    internal string? RedactSpan(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return null;
        }

        List<Hit>? hits = null;
        string? asString = null;
        if (_secrets)
        {
            if (text.IndexOfAny(BuiltInDetectors.KeyPrefixes) >= 0)
            {
                Find(BuiltInDetectors.KeyWithPrefix(), text, Detector.Secret, ref hits);
                if (text.Contains("-----BEGIN", StringComparison.Ordinal))
                {
                    Find(BuiltInDetectors.PrivateKey(), text, Detector.Secret, ref hits);
                }
            }

            if (text.IndexOfAny(_secretTriggers) >= 0)
            {
                FindValues(BuiltInDetectors.AuthorizationCredential(), text, ref asString, ref hits);
                if (_secretPair is not null)
                {
                    FindValues(_secretPair, text, ref asString, ref hits);
                }
            }
        }

        if (_emails && text.Contains('@'))
        {
            Find(BuiltInDetectors.Email(), text, Detector.Email, ref hits);
        }

        if (_cards || _phones)
        {
            var (digits, digitsSplit, digitsAfterPlus) = BuiltInDetectors.LongestDigitRun(text);
            if (_cards && digits >= 13)
            {
                Find(BuiltInDetectors.CardCandidate(), text, Detector.Card, ref hits);
            }

            if (_phones && digitsAfterPlus >= 8)
            {
                Find(BuiltInDetectors.InternationalPhone(), text, Detector.InternationalPhone, ref hits);
            }

            if (_phones && digitsSplit >= 9)
            {
                Find(BuiltInDetectors.NorthAmericanPhone(), text, Detector.NorthAmericanPhone, ref hits);
                Find(BuiltInDetectors.TrunkPhone(), text, Detector.TrunkPhone, ref hits);
            }
        }

        foreach (var (regex, replacement) in _patterns)
        {
            Find(regex, text, Detector.Pattern, ref hits, replacement);
        }

        return hits is null ? null : Apply(text, hits);
    }

    /// <summary>The replacement of a card number found as a JSON number, or <see langword="null"/> when it is not one.</summary>
    internal string? CardReplacement(ReadOnlySpan<char> digits) =>
        _cards && digits.Length is >= 13 and <= 19 && !digits.ContainsAnyExceptInRange('0', '9') && !IsAllowed(digits)
        && BuiltInDetectors.IsCard(digits, out var lastFour)
            ? CardLabel(lastFour)
            : null;

    private static bool LooksLikeJson(string text)
    {
        var start = text.AsSpan().IndexOfAnyExcept(" \t\r\n");
        return start >= 0 && text[start] is '{' or '[';
    }

    private static string NormalizeKey(string key) => key.Replace("_", string.Empty, StringComparison.Ordinal)
        .Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static string Apply(ReadOnlySpan<char> text, List<Hit> hits)
    {
        hits.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var builder = new StringBuilder(text.Length);
        var position = 0;
        var i = 0;
        while (i < hits.Count)
        {
            var (start, end, replacement) = hits[i++];

            // Overlapping finds are merged into one redacted span under the first one's label: nothing of either survives.
            while (i < hits.Count && hits[i].Start < end)
            {
                end = Math.Max(end, hits[i++].End);
            }

            builder.Append(text[position..start]).Append(replacement);
            position = end;
        }

        return builder.Append(text[position..]).ToString();
    }

    private string CardLabel(string lastFour) => _keepLastFour ? $"[redacted:card ****{lastFour}]" : "[redacted:card]";

    private bool IsAllowed(ReadOnlySpan<char> value) => _hasAllowList && _allowList.Contains(value);

    private void Find(Regex regex, ReadOnlySpan<char> text, Detector detector, ref List<Hit>? hits, string? replacement = null)
    {
        try
        {
            foreach (var match in regex.EnumerateMatches(text))
            {
                var value = text.Slice(match.Index, match.Length);
                var label = detector switch
                {
                    Detector.Email => "[redacted:email]",
                    Detector.Secret => "[redacted:secret]",
                    Detector.InternationalPhone => BuiltInDetectors.IsPhone(value, 8, 15) ? "[redacted:phone]" : null,
                    Detector.NorthAmericanPhone => BuiltInDetectors.IsPhone(value, 10, 11) ? "[redacted:phone]" : null,
                    Detector.TrunkPhone => BuiltInDetectors.IsPhone(value, 9, 12) ? "[redacted:phone]" : null,
                    Detector.Card => BuiltInDetectors.IsCard(value, out var lastFour) ? CardLabel(lastFour) : null,
                    _ => replacement,
                };
                if (label is not null && !IsAllowed(value))
                {
                    (hits ??= []).Add(new Hit(match.Index, match.Index + match.Length, label));
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Fail closed: a text a detector could not finish searching is redacted whole.
            (hits ??= []).Add(new Hit(0, text.Length, replacement ?? "[redacted:timeout]"));
        }
    }

    private static void FindValues(Regex regex, ReadOnlySpan<char> text, ref string? asString, ref List<Hit>? hits)
    {
        try
        {
            if (!regex.IsMatch(text))
            {
                return;
            }

            asString ??= text.ToString();
            for (var match = regex.Match(asString); match.Success; match = match.NextMatch())
            {
                var value = match.Groups["v"];
                (hits ??= []).Add(new Hit(value.Index, value.Index + value.Length, "[redacted:secret]"));
            }
        }
        catch (RegexMatchTimeoutException)
        {
            (hits ??= []).Add(new Hit(0, text.Length, "[redacted:secret]"));
        }
    }

    private enum Detector
    {
        Email,
        Secret,
        InternationalPhone,
        NorthAmericanPhone,
        TrunkPhone,
        Card,
        Pattern,
    }

    private readonly record struct Hit(int Start, int End, string Replacement);
}
