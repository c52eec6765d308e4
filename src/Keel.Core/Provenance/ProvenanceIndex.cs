using System.Text;
using System.Text.Json;
using Keel.Tools;

namespace Keel.Provenance;

/// <summary>
/// Remembers where every value of a run appeared — user messages, the system prompt, trusted and untrusted tool output — and traces
/// the values of a proposed call's arguments back to them (data-flow provenance, as in CaMeL, Debenedetti et al. 2025,
/// arXiv:2503.18813, and FIDES, Costa et al. 2025). Values are matched in normalized form (<see cref="ValueNormalizer"/>); whole short
/// strings are matched as whole words in the normalized source text. Sources are indexed lazily, on the first trace after they
/// were added, so runs without provenance rules pay only for keeping the text. One instance per run; not thread-safe.
/// </summary>
public sealed class ProvenanceIndex
{
    private static readonly ValueOrigin[] Origins = [ValueOrigin.User, ValueOrigin.System, ValueOrigin.TrustedTool, ValueOrigin.DelegatedTool, ValueOrigin.UntrustedTool];

    private readonly List<Pending> _pending = [];
    private readonly Dictionary<string, (ValueOrigin Origins, SourceRef?[] First)> _atoms = new(StringComparer.Ordinal);
    private readonly StringBuilder[] _corpora = [new(), new(), new(), new(), new()];
    private readonly List<(int Start, SourceRef Source)>[] _segments = [[], [], [], [], []];
    private readonly string[] _corpusText = ["", "", "", "", ""];

    /// <summary>Texts added so far.</summary>
    public int Sources { get; private set; }

    /// <summary>Adds a text seen by the agent.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">Where it came from; <see cref="SourceRef.Origin"/> must be a single flag other than <see cref="ValueOrigin.None"/>.</param>
    /// <exception cref="ArgumentException">The origin is not a single flag.</exception>
    public void Add(string text, SourceRef source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Array.IndexOf(Origins, source.Origin) < 0)
        {
            throw new ArgumentException($"A source has exactly one origin, not '{source.Origin}'.", nameof(source));
        }

        if (text.Length > 0)
        {
            _pending.Add(new Pending(text, source, null, default));
            Sources++;
        }
    }

    /// <summary>Adds a tool's output, to be split into trusted and untrusted text by the tool's <see cref="OutputTrust"/> when the index is next
    /// read; a trusted part that carries instructions addressed to the agent (<see cref="InstructionDetector"/>) is untrusted too. The
    /// untrusted part counts as <see cref="ValueOrigin.DelegatedTool"/> when the call's arguments name something the user had named
    /// before it and the text carries no instructions addressed to the agent; otherwise as <see cref="ValueOrigin.UntrustedTool"/>.</summary>
    /// <param name="tool">The tool's name (for the source label).</param>
    /// <param name="trust">The tool's output trust; an unknown tool's output is untrusted.</param>
    /// <param name="arguments">The call's arguments, a detached element (to decide delegation); default when malformed.</param>
    /// <param name="output">The output text.</param>
    /// <param name="sequence">The sequence number of the result event.</param>
    public void AddToolOutput(string tool, OutputTrust trust, JsonElement arguments, string output, long sequence)
    {
        ArgumentNullException.ThrowIfNull(trust);
        if (!string.IsNullOrEmpty(output))
        {
            _pending.Add(new Pending(output, new SourceRef(ValueOrigin.TrustedTool, tool + " output", sequence), trust, arguments));
            Sources++;
        }
    }

    /// <summary>Traces every leaf of a call's arguments.</summary>
    /// <param name="arguments">The arguments (a JSON object; anything else has no leaves).</param>
    /// <returns>One trace per string or number leaf, in document order.</returns>
    public IReadOnlyList<ArgumentTrace> TraceArguments(JsonElement arguments)
    {
        Flush();
        return TraceFlushed(arguments);
    }

    private List<ArgumentTrace> TraceFlushed(JsonElement arguments) =>
        ArgumentLeaves.Of(arguments).ConvertAll(leaf => new ArgumentTrace(leaf.Path, leaf.Value, ValueNormalizer.ForArgument(leaf.Value).ConvertAll(TraceFlushed)));

    /// <summary>Traces one value.</summary>
    /// <param name="atom">The normalized value.</param>
    /// <returns>Where it was seen.</returns>
    public TracedAtom Trace(ValueAtom atom)
    {
        Flush();
        return TraceFlushed(atom);
    }

    private TracedAtom TraceFlushed(ValueAtom atom)
    {
        var origins = ValueOrigin.None;
        var first = new SourceRef?[Origins.Length];
        if (atom.Kind == "text")
        {
            for (var i = 0; i < Origins.Length; i++)
            {
                if (FindWord(Corpus(i), atom.Value) is { } at)
                {
                    origins |= Origins[i];
                    first[i] = SegmentAt(i, at);
                }
            }
        }
        else if (_atoms.TryGetValue(atom.Key, out var seen))
        {
            origins = seen.Origins;
            first = seen.First;
        }

        // Explain with a source the value is trusted from when there is one; otherwise the untrusted one.
        SourceRef? source = first[0] ?? first[1] ?? first[2] ?? first[3] ?? first[4];
        return new TracedAtom(atom, origins, source);
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        // In order, so a tool output's delegation sees exactly the messages and outputs that came before it.
        foreach (var pending in _pending)
        {
            if (pending.Trust is not { } trust)
            {
                Index(pending.Text, pending.Source);
                continue;
            }

            var (trusted, untrusted) = OutputSplitter.Split(pending.Text, trust);
            if (InstructionDetector.Find(trusted) is not null)
            {
                // Instructions addressed to the agent have no place in a system of record: whoever wrote them, the text is a third party's.
                untrusted = untrusted.Length == 0 ? trusted : trusted + "\n" + untrusted;
                trusted = string.Empty;
            }

            Index(trusted, pending.Source);
            if (untrusted.Length > 0)
            {
                var delegated = InstructionDetector.Find(untrusted) is null && TraceFlushed(pending.Arguments).Exists(t => t.IsNamedBy(ValueOrigin.User));
                Index(untrusted, pending.Source with { Origin = delegated ? ValueOrigin.DelegatedTool : ValueOrigin.UntrustedTool });
            }
        }

        _pending.Clear();
    }

    // The normalized text of one origin's sources, materialized again only after it grew.
    private string Corpus(int slot)
    {
        if (_corpusText[slot].Length != _corpora[slot].Length)
        {
            _corpusText[slot] = _corpora[slot].ToString();
        }

        return _corpusText[slot];
    }

    private void Index(string text, SourceRef source)
    {
        if (text.Length == 0)
        {
            return;
        }

        var slot = Array.IndexOf(Origins, source.Origin);
        foreach (var atom in ValueNormalizer.Extract(text))
        {
            if (!_atoms.TryGetValue(atom.Key, out var seen))
            {
                seen = (ValueOrigin.None, new SourceRef?[Origins.Length]);
            }

            seen.First[slot] ??= source;
            _atoms[atom.Key] = (seen.Origins | source.Origin, seen.First);
        }

        _segments[slot].Add((_corpora[slot].Length, source));
        _corpora[slot].Append(ValueNormalizer.NormalizeText(text)).Append('\n');
    }

    private SourceRef SegmentAt(int slot, int position)
    {
        var segments = _segments[slot];
        var lo = 0;
        var hi = segments.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (segments[mid].Start <= position)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return segments[lo].Source;
    }

    private static int? FindWord(string corpus, string word)
    {
        var from = 0;
        while (from <= corpus.Length - word.Length)
        {
            var at = corpus.IndexOf(word, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            var end = at + word.Length;
            if ((at == 0 || !char.IsLetterOrDigit(corpus[at - 1])) && (end == corpus.Length || !char.IsLetterOrDigit(corpus[end])))
            {
                return at;
            }

            from = at + 1;
        }

        return null;
    }

    private readonly record struct Pending(string Text, SourceRef Source, OutputTrust? Trust, JsonElement Arguments);
}
