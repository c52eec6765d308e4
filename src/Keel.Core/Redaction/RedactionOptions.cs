using System.Text.RegularExpressions;

namespace Keel.Redaction;

/// <summary>What <see cref="Redactor"/> removes from text before it is stored or exported. Every built-in detector is on by
/// default; <see cref="Validate"/> checks the settings and names the one at fault.</summary>
/// <remarks>The detectors and where their rules come from are listed in <c>docs/audit.md</c>. Not thread-safe while being
/// changed; <see cref="Redactor"/> copies what it needs, so changing the options afterwards has no effect on it.</remarks>
public sealed class RedactionOptions
{
    /// <summary>The labels the built-in detectors use, which a <see cref="RedactionPattern"/> may not take.</summary>
    public static IReadOnlyList<string> BuiltInLabels { get; } = ["email", "phone", "card", "secret"];

    /// <summary>The JSON property names and <c>name=value</c> names whose values are secrets, by default. Compared
    /// case-insensitively with <c>_</c>, <c>-</c> and spaces ignored, so <c>api_key</c> also covers <c>API-Key</c> and <c>apiKey</c>.</summary>
    public static IReadOnlyList<string> DefaultSecretKeys { get; } =
    [
        "password", "passwd", "passphrase", "pwd", "secret", "client_secret", "api_key", "api_secret", "access_token",
        "refresh_token", "auth_token", "id_token", "session_token", "token", "private_key", "authorization", "cookie",
        "set_cookie", "cvv", "cvc",
    ];

    /// <summary>Shortest <see cref="PatternTimeout"/> accepted: 1 ms.</summary>
    public static readonly TimeSpan MinPatternTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest <see cref="PatternTimeout"/> accepted: 10 seconds.</summary>
    public static readonly TimeSpan MaxPatternTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether e-mail addresses are redacted, as <c>[redacted:email]</c>.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Emails { get; set; } = true;

    /// <summary>Whether phone numbers are redacted, as <c>[redacted:phone]</c>: international numbers written with <c>+</c>
    /// (E.164, 8–15 digits), North American numbers with separators (<c>555-123-4567</c>, <c>(555) 123 4567</c>) and national numbers
    /// with a trunk prefix and separators (<c>020 7946 0958</c>, <c>01 23 45 67 89</c>). Ten digits without separators are not taken
    /// for a phone number: ids look the same (tau-bench retail item ids).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool PhoneNumbers { get; set; } = true;

    /// <summary>Whether payment card numbers are redacted: 13–19 digits, optionally in groups split by spaces or dashes, with an
    /// issuer prefix (2, 3, 4, 5 or 6) and a valid Luhn check digit (ISO/IEC 7812-1), so order numbers are left alone.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool PaymentCards { get; set; } = true;

    /// <summary>Whether the last four digits of a card stay visible, as <c>[redacted:card ****4242]</c> (PCI DSS allows showing at most
    /// the first six and last four); otherwise <c>[redacted:card]</c>.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool KeepCardLastFour { get; set; } = true;

    /// <summary>Whether secrets are redacted, as <c>[redacted:secret]</c>: API keys with a known prefix (<c>sk-</c>, <c>sk_live_</c>,
    /// <c>rk_live_</c>, <c>ghp_</c> and the other GitHub prefixes, <c>xoxb-</c>/<c>xoxp-</c>, <c>AKIA</c>/<c>ASIA</c>, <c>AIza</c>,
    /// <c>keel_</c>), JSON Web Tokens, PEM private keys, bearer tokens, and the values of <see cref="SecretKeys"/> in JSON and in
    /// <c>name=value</c> or <c>name: value</c> text.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Secrets { get; set; } = true;

    /// <summary>Names whose values are secrets (JSON property names, <c>name=value</c> pairs); used when <see cref="Secrets"/> is on.</summary>
    /// <value>The default is <see cref="DefaultSecretKeys"/>. Each entry is 2–64 characters of letters, digits, <c>_</c> and <c>-</c>.</value>
    public IList<string> SecretKeys { get; set; } = [.. DefaultSecretKeys];

    /// <summary>The operator's own patterns, applied after the built-in detectors.</summary>
    /// <value>The default is none.</value>
    public IList<RedactionPattern> Patterns { get; set; } = [];

    /// <summary>Values never redacted, compared case-insensitively with the whole matched text, e.g. the company's support
    /// address <c>support@example.com</c>. A secret found by its name (<see cref="SecretKeys"/>) is redacted even when listed here.</summary>
    /// <value>The default is none.</value>
    public IList<string> AllowList { get; set; } = [];

    /// <summary>The longest one of <see cref="Patterns"/> may search one text. A search that takes longer redacts the whole text
    /// under that pattern's label: the raw value never gets through because a pattern was slow.</summary>
    /// <value>The default is 100 ms; from <see cref="MinPatternTimeout"/> to <see cref="MaxPatternTimeout"/>.</value>
    public TimeSpan PatternTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid: a pattern that is empty, does not compile, matches the empty
    /// string or reuses a name; a bad secret key or allow-list entry; a timeout out of range. The message names the setting (and
    /// the pattern) and the fix.</exception>
    public void Validate()
    {
        if (PatternTimeout < MinPatternTimeout || PatternTimeout > MaxPatternTimeout)
        {
            throw new ArgumentException(
                $"{nameof(RedactionOptions)}.{nameof(PatternTimeout)} is {PatternTimeout}. Set it between {MinPatternTimeout} and {MaxPatternTimeout} (the default is 100 ms).");
        }

        ValidateSecretKeys();
        if (AllowList is null || AllowList.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"{nameof(RedactionOptions)}.{nameof(AllowList)} holds an empty entry (or is null). Remove it; entries are whole values such as \"support@example.com\".");
        }

        if (Patterns is null)
        {
            throw new ArgumentException($"{nameof(RedactionOptions)}.{nameof(Patterns)} is null. Leave it empty for none.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Patterns.Count; i++)
        {
            var pattern = Patterns[i] ?? throw new ArgumentException($"{nameof(RedactionOptions)}.{nameof(Patterns)}[{i}] is null. Remove it.");
            ValidatePattern(pattern, i);
            if (!names.Add(pattern.Name))
            {
                throw new ArgumentException($"{nameof(RedactionOptions)}.{nameof(Patterns)}: the name '{pattern.Name}' is used twice. Give each pattern its own name.");
            }
        }
    }

    private void ValidateSecretKeys()
    {
        if (SecretKeys is null)
        {
            throw new ArgumentException($"{nameof(RedactionOptions)}.{nameof(SecretKeys)} is null. Leave the default ({nameof(DefaultSecretKeys)}), or set an empty list for none.");
        }

        foreach (var key in SecretKeys)
        {
            if (key is null || key.Length is < 2 or > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException(
                    $"{nameof(RedactionOptions)}.{nameof(SecretKeys)} holds '{key}', which is not a name. Use 2–64 letters, digits, '_' or '-', e.g. \"api_key\".");
            }
        }
    }

    private void ValidatePattern(RedactionPattern pattern, int index)
    {
        var where = $"{nameof(RedactionOptions)}.{nameof(Patterns)}[{index}]";
        if (string.IsNullOrEmpty(pattern.Name) || pattern.Name.Length > 40
            || !pattern.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-'))
        {
            throw new ArgumentException($"{where}: the name '{pattern.Name}' is not a label. Use 1–40 characters of a-z, 0-9, '_', '.' or '-', e.g. \"employee_id\".");
        }

        if (BuiltInLabels.Contains(pattern.Name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"{where}: the name '{pattern.Name}' belongs to a built-in detector. Choose another name, e.g. \"{pattern.Name}_extra\".");
        }

        if (string.IsNullOrEmpty(pattern.Pattern))
        {
            throw new ArgumentException($"{where} '{pattern.Name}' has an empty pattern. Give a regular expression, e.g. \"EMP-\\d{{6}}\".");
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern.Pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{where} '{pattern.Name}' is not a valid regular expression: {ex.Message} Fix the pattern \"{pattern.Pattern}\".", ex);
        }

        if (regex.IsMatch(string.Empty))
        {
            throw new ArgumentException($"{where} '{pattern.Name}' matches the empty string (\"{pattern.Pattern}\"), so it would match everywhere. Make it require at least one character, e.g. use '+' instead of '*'.");
        }
    }
}
