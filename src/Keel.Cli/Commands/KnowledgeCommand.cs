using System.CommandLine;
using Keel.Embeddings;
using Keel.Importers;
using Keel.Cli.Output;
using Keel.Knowledge;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel knowledge search</c> and <c>keel knowledge ground</c>: permission-aware retrieval with abstention and the grounding
/// check over recorded runs (docs/grounding.md).</summary>
internal static class KnowledgeCommand
{
    public static Command Create()
    {
        var search = new Command("search", "Search a knowledge base loaded from folders or files (.md/.txt, YAML front matter 'groups: [a, b]') as an asker with the given groups. "
            + "Passages of groups the asker lacks are filtered out before ranking. Prints the hits or 'abstain_and_hand_off' when the best scores below the threshold. Exit code 0: searched; 2: bad input.");
        var query = new Argument<string>("query") { Description = "The question (quote it)." };
        var options = new KnowledgeOptions(search);
        search.Arguments.Add(query);
        search.SetAction((parse, ct) => SearchAsync(options.Read(parse), parse.GetValue(query)!, ct));

        var ground = new Command("ground", "Check every assistant turn of recorded runs (tau-bench, tau2-bench, ...) against the knowledge base: supported when a sentence "
            + "scores at or above the threshold against the passages retrieved for the answer. Prints the share unsupported, the score distribution and the embedding cost per message.");
        var runs = new Argument<string>("runs") { Description = "A recorded-run file or folder (any format keel replay reads)." };
        var sample = new Option<int>("--sample") { Description = "Also print this many unsupported turns, drawn at random (with --seed), for hand-checking.", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the --sample draw.", DefaultValueFactory = _ => 1 };
        var groundOptions = new KnowledgeOptions(ground);
        ground.Arguments.Add(runs);
        ground.Options.Add(sample);
        ground.Options.Add(seed);
        ground.SetAction((parse, ct) => GroundAsync(groundOptions.Read(parse), parse.GetValue(runs)!, parse.GetValue(sample), parse.GetValue(seed), ct));

        return new Command("knowledge", "Knowledge base: permission-aware retrieval, abstention below a cosine threshold (0.55), grounding check. See docs/grounding.md.") { search, ground };
    }

    private static async Task<int> SearchAsync(KnowledgeSettings settings, string query, CancellationToken cancellationToken)
    {
        using var loaded = await LoadAsync(settings, cancellationToken);
        if (loaded.Base is null)
        {
            return ExitCodes.BadInput;
        }

        var result = await loaded.Base.SearchAsync(query, settings.Groups, settings.Top, cancellationToken);
        if (settings.Json)
        {
            KnowledgeOutput.WriteSearchJson(result);
            return ExitCodes.Ok;
        }

        KnowledgeOutput.WriteSearch(AnsiConsole.Console, result);
        return ExitCodes.Ok;
    }

    private static async Task<int> GroundAsync(KnowledgeSettings settings, string runs, int sample, int seed, CancellationToken cancellationToken)
    {
        using var loaded = await LoadAsync(settings, cancellationToken);
        if (loaded.Base is null)
        {
            return ExitCodes.BadInput;
        }

        var diagnostics = new ImportDiagnostics();
        GroundingEvaluation evaluation;
        try
        {
            var check = new GroundingCheck(loaded.Generator, loaded.Base.Options);
            var evaluator = new GroundingEvaluator(loaded.Base, check, TimeProvider.System);
            evaluation = await evaluator.EvaluateAsync(RunImporters.Default.ReadAsync(runs, diagnostics, cancellationToken), loaded.Generator, settings.Groups, settings.Top, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or IOException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }

        KnowledgeOutput.WriteGround(evaluation, loaded.Base, diagnostics.Skipped.Count, sample, seed, settings.Json);
        return ExitCodes.Ok;
    }

    private static async Task<LoadedKnowledge> LoadAsync(KnowledgeSettings settings, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        var retrieval = new RetrievalOptions { AbstainBelow = settings.AbstainBelow, MaxPassageChars = settings.MaxPassageChars };
        try
        {
            retrieval.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return new LoadedKnowledge(null, null!);
        }

        var documents = new List<KnowledgeDocument>();
        foreach (var source in settings.Sources)
        {
            KnowledgeLoadResult result;
            try
            {
                result = KnowledgeLoader.Load(source);
            }
            catch (Exception ex) when (ex is FileNotFoundException or IOException or UnauthorizedAccessException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return new LoadedKnowledge(null, null!);
            }

            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"skipped: {error}");
            }

            documents.AddRange(result.Documents);
        }

        IEmbeddingGenerator<string, Embedding<float>> generator = settings.Endpoint is { } endpoint
            ? OpenAICompatibleEmbeddings.Create(endpoint, settings.Model ?? "text-embedding-3-small", Environment.GetEnvironmentVariable("KEEL_EMBEDDINGS_API_KEY"))
            : new MiniLmEmbeddingGenerator();
        var knowledgeBase = new KnowledgeBase(generator, retrieval);
        await knowledgeBase.AddRangeAsync(documents, cancellationToken);
        Console.Error.WriteLine($"knowledge base: {documents.Count} documents, {knowledgeBase.Passages.Count} passages");
        return new LoadedKnowledge(knowledgeBase, generator);
    }

    private sealed record LoadedKnowledge(KnowledgeBase? Base, IEmbeddingGenerator<string, Embedding<float>> Generator) : IDisposable
    {
        public void Dispose() => Generator?.Dispose();
    }
}
