namespace Keel.Redaction;

/// <summary>A redaction rule of the operator's own: every match of <paramref name="Pattern"/> is replaced by
/// <c>[redacted:<paramref name="Name"/>]</c>.</summary>
/// <param name="Name">Lower-case label shown in the replacement, 1–40 characters of <c>a-z 0-9 _ . -</c>, e.g. <c>employee_id</c>;
/// not one of the built-in labels <c>email</c>, <c>phone</c>, <c>card</c>, <c>secret</c>.</param>
/// <param name="Pattern">A .NET regular expression (culture-invariant, case-sensitive unless it says <c>(?i)</c>); the whole match is
/// replaced, so use look-arounds for context that must stay, e.g. <c>(?&lt;=badge )\d{6}</c>.</param>
public sealed record RedactionPattern(string Name, string Pattern);
