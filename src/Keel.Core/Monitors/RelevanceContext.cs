using System.Text;

namespace Keel.Monitors;

/// <summary>
/// What a run has said so far, as <see cref="RelevanceDetector"/> compares it: the user's request (content words, script) and
/// the text a value may be taken from (words and numbers of user and assistant messages and tool results). Request words are
/// kept as messages arrive; the other texts are tokenised only when a call needs its values checked, each text once. One per
/// run; not thread-safe.
/// </summary>
public sealed class RelevanceContext
{
    private readonly HashSet<string> _requestWords = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groundingWords = new(StringComparer.Ordinal);
    private readonly List<double> _numbers = [];
    private readonly List<string> _pending = [];
    private readonly StringBuilder _text = new();
    private string? _lowerText;
    private int _letters;
    private int _latinLetters;

    /// <summary>Content words of the request (<see cref="RelevanceDetector.ContentWords"/>).</summary>
    public IReadOnlySet<string> RequestWords => _requestWords;

    /// <summary>Share of the request's letters that are Latin (U+0000–U+024F); 1 when it has no letter.</summary>
    public double LatinShare => _letters == 0 ? 1 : _latinLetters / (double)_letters;

    internal IReadOnlySet<string> GroundingWords
    {
        get
        {
            Tokenize();
            return _groundingWords;
        }
    }

    internal IReadOnlyList<double> Numbers
    {
        get
        {
            Tokenize();
            return _numbers;
        }
    }

    /// <summary>Everything added so far, lower-cased (computed when first asked after an addition).</summary>
    internal string LowerText => _lowerText ??= _text.ToString().ToLowerInvariant();

    /// <summary>Adds a user message: part of the request and of the text values may come from.</summary>
    /// <param name="text">The message.</param>
    public void AddRequest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        RelevanceWords.Collect(text, _requestWords, contentOnly: true);
        foreach (var c in text.Where(char.IsLetter))
        {
            _letters++;
            _latinLetters += c <= '\u024F' ? 1 : 0;
        }

        AddEvidence(text);
    }

    /// <summary>Adds text a value may be copied from without being invented: an assistant message or a tool result.</summary>
    /// <param name="text">The text.</param>
    public void AddEvidence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _pending.Add(text);
        _text.Append(text).Append('\n');
        _lowerText = null;
    }

    private void Tokenize()
    {
        foreach (var text in _pending)
        {
            RelevanceWords.Collect(text, _groundingWords, contentOnly: false);
            _numbers.AddRange(RelevanceWords.Numbers(text));
        }

        _pending.Clear();
    }
}
