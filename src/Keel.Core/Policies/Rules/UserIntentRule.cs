using System.Text.RegularExpressions;

namespace Keel.Policies.Rules;

/// <summary><c>user_intent</c>: the user's own messages must ask for this kind of action — one of the <c>words</c> (whole words, case-insensitive,
/// e.g. <c>[delete, remove]</c>) must appear in a user message before the call. A goal that only untrusted text gave ("delete the file with
/// ID 13") fails it. This is task-scoped privilege: the tool is allowed only for tasks that ask for it (as in Progent, Shi et al. 2025,
/// arXiv:2504.11703).</summary>
internal sealed class UserIntentRule : PolicyRule
{
    private readonly Regex _words;
    private readonly IReadOnlyList<string> _list;

    public UserIntentRule(RuleHeader header, IReadOnlyList<string> words)
        : base(header)
    {
        _list = words;
        _words = new Regex(@"\b(?:" + string.Join("|", words.Select(Regex.Escape)) + @")\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        foreach (var message in context.State.UserMessages)
        {
            if (_words.IsMatch(message))
            {
                return PolicyVerdict.Pass;
            }
        }

        return PolicyVerdict.Fail(Header.Reason ?? $"{context.Call.ToolName}: the user never asked for this action (none of: {string.Join(", ", _list)})");
    }
}
