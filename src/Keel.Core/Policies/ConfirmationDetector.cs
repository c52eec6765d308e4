using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Gateway;
using Keel.Model;

namespace Keel.Policies;

/// <summary>Whether the user explicitly confirmed an action before a write.</summary>
public enum ConfirmationStatus
{
    /// <summary>The agent listed the action and the user then said yes.</summary>
    Confirmed,

    /// <summary>The user said yes, but no assistant message in the window listed the action.</summary>
    NotListed,

    /// <summary>No explicit yes since the last write (or the latest user message declines).</summary>
    NotConfirmed,
}

/// <summary>Finds an explicit user confirmation of a write, as airline and retail policies require
/// ("you must list the action details and obtain explicit user confirmation (yes) to proceed").</summary>
/// <remarks>
/// The window is the conversation since the previous successful write the user has spoken after (or the run's start):
/// writes made back to back without a user message between them share a window. In it, the latest user
/// message must not decline (it starts with no / nope / not / never / don't / wait / hold on, or says don't / do not / never
/// + proceed or the action's verb, not sure / ok / correct / right, or that's not right / wrong), and some user
/// message must affirm in a sentence without a negation (yes, yeah, yep, sure, ok, correct, confirm, go ahead, proceed,
/// please do, that's right, sounds good, do it) or instruct the action by its verb ("please cancel all of these" for <c>cancel_reservation</c>). An assistant message before that affirmation must list the action: mention one of the call's argument values
/// (strings of 3+ characters, or numbers), the tool's verb (the first word of its name, e.g. <c>cancel</c>) or a plain-language
/// synonym of it (modify: change, switch, replace, update; exchange: swap, replace; return: refund, send back; book: reserve).
/// </remarks>
public static partial class ConfirmationDetector
{
    /// <summary>Looks for a confirmation of a call.</summary>
    /// <param name="conversation">The run's conversation with write markers, oldest first.</param>
    /// <param name="tool">The tool about to be called.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The confirmation status.</returns>
    public static ConfirmationStatus Find(IReadOnlyList<ConversationEntry> conversation, string tool, JsonElement arguments)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        // The window starts after the last successful write that the user has spoken since; writes made back to back,
        // with no user message between them, share one window (one "yes" to a listed plan of several actions).
        var start = conversation.Count;
        var userSince = false;
        while (start > 0 && (conversation[start - 1].WriteTool is null || !userSince))
        {
            userSince |= conversation[start - 1].Role == MessageRole.User;
            start--;
        }

        var lastUser = -1;
        for (var i = conversation.Count - 1; i >= start; i--)
        {
            if (conversation[i].Role == MessageRole.User)
            {
                lastUser = i;
                break;
            }
        }

        if (lastUser < 0 || Declines(conversation[lastUser].Content))
        {
            return ConfirmationStatus.NotConfirmed;
        }

        for (var i = lastUser; i >= start; i--)
        {
            if (conversation[i].Role != MessageRole.User || !(Affirms(conversation[i].Content) || Instructs(conversation[i].Content, tool)))
            {
                continue;
            }

            var details = Details(tool, arguments);
            for (var j = i - 1; j >= start; j--)
            {
                if (conversation[j].Role == MessageRole.Assistant && Lists(conversation[j].Content, details))
                {
                    return ConfirmationStatus.Confirmed;
                }
            }

            return ConfirmationStatus.NotListed;
        }

        return ConfirmationStatus.NotConfirmed;
    }

    /// <summary>Whether a user message explicitly affirms.</summary>
    /// <param name="text">The message.</param>
    /// <returns><see langword="true"/> for an explicit yes.</returns>
    public static bool Affirms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Declines(text))
        {
            return false;
        }

        // The yes must stand in a sentence of its own without a negation: "Yes, please proceed." affirms,
        // "I'm not sure that's correct." does not, and "No, the other one. Yes, that one." does.
        foreach (var sentence in text.Split(['.', '!', '?', '\n', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (AffirmRegex().IsMatch(sentence) && !NegationRegex().IsMatch(sentence))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a user message explicitly instructs the action by its verb ("cancel all of these reservations" for <c>cancel_reservation</c>).</summary>
    /// <param name="text">The message.</param>
    /// <param name="tool">The tool; its verb is the first word of its name.</param>
    /// <returns><see langword="true"/> when the message names the action and does not decline.</returns>
    public static bool Instructs(string text, string tool)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tool);
        var verb = tool.Split('_')[0];
        return verb.Length >= 4 && !Declines(text) && Regex.IsMatch(text, $@"\b{Regex.Escape(verb)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            && !Regex.IsMatch(text, $@"\b(not|never|no longer)\b(\W+\w+){{0,3}}\W+{Regex.Escape(verb)}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>Whether a user message declines or hesitates.</summary>
    /// <param name="text">The message.</param>
    /// <returns><see langword="true"/> for a no.</returns>
    public static bool Declines(string text) => DeclineRegex().IsMatch(text);

    private static bool Lists(string text, List<string> details)
    {
        foreach (var detail in details)
        {
            if (text.Contains(detail, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Details(string tool, JsonElement arguments)
    {
        var details = new List<string>(8);
        var verb = tool.Split('_')[0];
        if (verb.Length >= 3)
        {
            details.Add(verb.Length > 5 ? verb[..^1] : verb);
        }

        if (Synonyms.TryGetValue(verb, out var synonyms))
        {
            details.AddRange(synonyms);
        }

        Collect(arguments, details);
        return details;
    }

    private static void Collect(JsonElement value, List<string> into)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Collect(property.Value, into);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Collect(item, into);
                }

                break;
            case JsonValueKind.String when value.GetString() is { Length: >= 3 } s && !s.Equals("yes", StringComparison.OrdinalIgnoreCase):
                into.Add(s);
                break;
            case JsonValueKind.Number when value.TryGetDouble(out var d) && d >= 10:
                into.Add(d.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    // Words an agent uses when it lists an action in plain language instead of by the tool's own verb.
    private static readonly Dictionary<string, string[]> Synonyms = new(StringComparer.Ordinal)
    {
        ["modify"] = ["change", "switch", "replace", "update"],
        ["update"] = ["change", "modify", "upgrade", "add"],
        ["exchange"] = ["swap", "replace", "switch"],
        ["return"] = ["refund", "send back"],
        ["cancel"] = ["cancellation"],
        ["book"] = ["reserve", "reservation"],
    };

    [GeneratedRegex(@"\b(yes|yeah|yep|yup|sure|ok|okay|correct|confirm|confirmed|confirming|absolutely|definitely|go ahead|proceed|please do|that'?s right|sounds good|do it|let'?s do)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex AffirmRegex();

    [GeneratedRegex(@"^\W*(no|nope|not|never|don'?t|do not|wait|hold on|actually,? no)\b|\b(don'?t|do not|never)\s+(\w+\s+){0,2}(proceed|go ahead|do (it|that)|cancel|book|change|modify|return|exchange|update|upgrade|charge|confirm|make)\b|\bnot (sure|ok|okay|correct|right|yet)\b|\b(that'?s|that is|it'?s|it is) (not right|not correct|wrong|incorrect)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 1000)]
    private static partial Regex DeclineRegex();

    [GeneratedRegex(@"\b(not|never|don'?t|do not|doesn'?t|isn'?t|wait|hold on)\b|\bno\b(?! (problem|worries|longer|more))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex NegationRegex();
}
