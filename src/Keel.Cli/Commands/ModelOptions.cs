using System.CommandLine;
using Keel.Classification;
using Keel.Embeddings;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>The options of an optional model feature, shared by <c>keel replay --classifier</c> and <c>keel eval --judge</c>:
/// <c>--{name} openai</c>, <c>--{name}-endpoint</c>, <c>--{name}-model</c>, <c>--{name}-api-key-env</c>, <c>--{name}-cache</c>,
/// <c>--{name}-price-in</c>, <c>--{name}-price-out</c> (docs/classifier.md).</summary>
internal sealed class ModelOptions
{
    /// <summary>The only provider: any OpenAI-compatible <c>/v1/chat/completions</c> endpoint.</summary>
    public const string OpenAI = "openai";

    private readonly string _name;
    private readonly Option<string?> _provider;
    private readonly Option<Uri?> _endpoint;
    private readonly Option<string?> _model;
    private readonly Option<string> _keyVariable;
    private readonly Option<string?> _cache;
    private readonly Option<decimal?> _priceIn;
    private readonly Option<decimal?> _priceOut;

    public ModelOptions(Command command, string name, string purpose)
    {
        _name = name;
        var variable = $"KEEL_{name.ToUpperInvariant()}_API_KEY";
        _provider = new($"--{name}") { Description = $"Turn on the optional LLM {purpose} through an OpenAI-compatible endpoint: '{OpenAI}'. Off by default (docs/classifier.md)." };
        _endpoint = HttpUrlOption.Create($"--{name}-endpoint", $"The {name}'s API base with its version segment, e.g. http://127.0.0.1:11434/v1 (requests go to <endpoint>/chat/completions).", "http://127.0.0.1:11434/v1");
        _model = new($"--{name}-model") { Description = $"The {name}'s chat model, e.g. gpt-4.1-mini." };
        _keyVariable = new($"--{name}-api-key-env") { Description = $"The environment variable holding the {name}'s API key (none needed for a local server).", DefaultValueFactory = _ => variable };
        _cache = new($"--{name}-cache") { Description = $"A folder caching the {name}'s validated answers by SHA-256 of model, prompt version and content, so a rerun pays only for what changed. Default: memory only." };
        _priceIn = new($"--{name}-price-in") { Description = $"USD per million input tokens of the {name}'s model, for the cost figure (give with --{name}-price-out)." };
        _priceOut = new($"--{name}-price-out") { Description = $"USD per million output tokens of the {name}'s model." };
        foreach (var option in (Option[])[_provider, _endpoint, _model, _keyVariable, _cache, _priceIn, _priceOut])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Builds the feature's client and shared cache and cost counter, or nothing when it is off.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="console">Where errors go.</param>
    /// <param name="model">The client and its <see cref="JsonChat"/>; <see langword="null"/> when off.</param>
    /// <returns>Whether the options are valid (an error naming the option was printed when not).</returns>
    public bool TryCreate(ParseResult parse, IAnsiConsole console, out (IChatClient Client, JsonChat Chat)? model)
    {
        model = null;
        var provider = parse.GetValue(_provider);
        var endpoint = parse.GetValue(_endpoint);
        var name = parse.GetValue(_model);
        var cache = parse.GetValue(_cache);
        var (priceIn, priceOut) = (parse.GetValue(_priceIn), parse.GetValue(_priceOut));
        if (provider is null)
        {
            if (endpoint is not null || name is not null || cache is not null || priceIn is not null || priceOut is not null)
            {
                return Fail(console, $"--{_name}-endpoint, -model, -cache and -price-* need --{_name} {OpenAI}; the {_name} is off by default.");
            }

            return true;
        }

        if (provider != OpenAI)
        {
            return Fail(console, $"--{_name} '{provider}' is not supported; use --{_name} {OpenAI} (any OpenAI-compatible endpoint).");
        }

        if (endpoint is null || !endpoint.IsAbsoluteUri || string.IsNullOrWhiteSpace(name))
        {
            return Fail(console, $"--{_name} {OpenAI} needs --{_name}-endpoint (an absolute URL such as http://127.0.0.1:8080/v1) and --{_name}-model.");
        }

        if ((priceIn is null) != (priceOut is null) || priceIn < 0 || priceOut < 0)
        {
            return Fail(console, $"give both --{_name}-price-in and --{_name}-price-out, in USD per million tokens, 0 or more.");
        }

        ModelAnswerCache answers;
        try
        {
            answers = new ModelAnswerCache(cache);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(console, $"--{_name}-cache '{cache}': {ex.Message}");
        }

        var key = Environment.GetEnvironmentVariable(parse.GetValue(_keyVariable) ?? string.Empty);
        var prices = priceIn is { } pIn && priceOut is { } pOut ? new ModelPrices(pIn, pOut) : null;
        model = (OpenAICompatibleChat.Create(endpoint, name, key), new JsonChat(name, answers, new ModelCostCounter(prices)));
        return true;
    }

    private static bool Fail(IAnsiConsole console, string message)
    {
        console.MarkupLineInterpolated($"[red]error:[/] {message}");
        return false;
    }
}
