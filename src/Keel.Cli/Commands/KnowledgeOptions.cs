using System.CommandLine;
using Keel.Knowledge;

namespace Keel.Cli.Commands;

/// <summary>The options <c>keel knowledge search</c> and <c>ground</c> share.</summary>
internal sealed class KnowledgeOptions
{
    private readonly Option<string[]> _sources = new("--source") { Description = "A knowledge folder or file (.md/.txt with optional front matter 'groups: [a, b]'); repeat for several.", Required = true };
    private readonly Option<string?> _groups = new("--groups") { Description = "The asker's groups, comma-separated (everyone is always included)." };
    private readonly Option<int> _top = new("--top") { Description = "Passages to return, 1 … 50.", DefaultValueFactory = _ => 3 };
    private readonly Option<double> _abstainBelow = new("--abstain-below") { Description = "Cosine threshold: below it the decision is abstain_and_hand_off, and an answer is unsupported. Default 0.55.", DefaultValueFactory = _ => RetrievalOptions.DefaultAbstainBelow };
    private readonly Option<Uri?> _endpoint = new("--embeddings-endpoint") { Description = "An OpenAI-compatible API base, e.g. http://127.0.0.1:11434/v1 (key from KEEL_EMBEDDINGS_API_KEY). Default: all-MiniLM-L6-v2 in process, no network." };
    private readonly Option<string?> _model = new("--embeddings-model") { Description = "The model for --embeddings-endpoint (default text-embedding-3-small)." };
    private readonly Option<int> _maxPassageChars = new("--max-passage-chars") { Description = "Longest passage in characters, 200 … 8000.", DefaultValueFactory = _ => new RetrievalOptions().MaxPassageChars };
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON." };

    public KnowledgeOptions(Command command)
    {
        command.Options.Add(_sources);
        command.Options.Add(_groups);
        command.Options.Add(_top);
        command.Options.Add(_abstainBelow);
        command.Options.Add(_endpoint);
        command.Options.Add(_model);
        command.Options.Add(_maxPassageChars);
        command.Options.Add(_json);
    }

    public KnowledgeSettings Read(ParseResult parse) => new(
        parse.GetValue(_sources) ?? [],
        (parse.GetValue(_groups) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        parse.GetValue(_top),
        parse.GetValue(_abstainBelow),
        parse.GetValue(_endpoint),
        parse.GetValue(_model),
        parse.GetValue(_json),
        parse.GetValue(_maxPassageChars));
}

/// <summary>The parsed options.</summary>
internal sealed record KnowledgeSettings(IReadOnlyList<string> Sources, IReadOnlyList<string> Groups, int Top, double AbstainBelow, Uri? Endpoint, string? Model, bool Json, int MaxPassageChars);
