using System.Globalization;
using System.Text.Json;
using Keel.Knowledge;
using Spectre.Console;

namespace Keel.Cli.Output;

/// <summary>Text and JSON output of <c>keel knowledge</c>.</summary>
internal static class KnowledgeOutput
{
    private static readonly double[] Percentiles = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

    public static void WriteSearch(IAnsiConsole console, RetrievalResult result)
    {
        console.MarkupLineInterpolated($"decision: [bold]{Decision(result.Decision)}[/] (best {Format(result.BestScore)}, threshold {Format(result.Threshold)})");
        if (result.Decision == RetrievalDecision.AbstainAndHandOff)
        {
            console.MarkupLineInterpolated($"the agent says: \"{RetrievalOptions.AbstainMessage}\"");
        }

        foreach (var hit in result.Hits)
        {
            console.MarkupLineInterpolated($"{Format(hit.Score)}  {hit.Passage.Id}  [[{string.Join(",", hit.Passage.Groups.Order(StringComparer.Ordinal))}]]  {Shorten(hit.Passage.Text, 160)}");
        }
    }

    public static void WriteSearchJson(RetrievalResult result)
    {
        using var stream = Console.OpenStandardOutput();
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("decision", Decision(result.Decision));
        json.WriteString("query", result.Query);
        WriteNumber(json, "best_score", result.BestScore);
        json.WriteNumber("threshold", result.Threshold);
        if (result.Decision == RetrievalDecision.AbstainAndHandOff)
        {
            json.WriteString("message", RetrievalOptions.AbstainMessage);
        }

        json.WriteStartArray("hits");
        foreach (var hit in result.Hits)
        {
            json.WriteStartObject();
            json.WriteString("passage_id", hit.Passage.Id);
            json.WriteString("document_id", hit.Passage.DocumentId);
            json.WriteNumber("score", Math.Round(hit.Score, 4));
            json.WriteString("text", hit.Passage.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    public static void WriteGround(GroundingEvaluation evaluation, KnowledgeBase knowledgeBase, int skippedRecords, int sample, int seed, bool asJson)
    {
        var scores = evaluation.Turns.Select(t => t.Assessment.Score ?? -1).Order().ToArray();
        var questions = evaluation.Turns.Where(t => t.QuestionBestScore is not null).Select(t => t.QuestionBestScore!.Value).Order().ToArray();
        var threshold = knowledgeBase.Options.AbstainBelow;
        var unsupported = evaluation.Turns.Where(t => t.Assessment.Verdict == GroundingVerdict.Unsupported).ToList();
        var drawn = unsupported.OrderBy(_ => 0).ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(drawn));
        drawn = drawn.Take(sample).ToList();
        var ms = evaluation.EmbeddingMsPerTurn;
        var perText = evaluation.EmbeddedTexts == 0 ? 0 : evaluation.EmbeddingTime.TotalMilliseconds / evaluation.EmbeddedTexts;
        var w = Console.Out;
        if (asJson)
        {
            WriteGroundJson(evaluation, knowledgeBase, scores, questions, drawn, perText);
            return;
        }

        w.WriteLine(Invariant($"knowledge base: {knowledgeBase.DocumentCount} documents, {knowledgeBase.Passages.Count} passages; threshold {threshold:0.00}; skipped records: {skippedRecords}"));
        w.WriteLine(Invariant($"assistant turns: {evaluation.Turns.Count}; unsupported: {evaluation.Unsupported} ({evaluation.UnsupportedShare:P1})"));
        w.WriteLine("answer score (best sentence vs retrieved passages), percentiles: " + PercentileLine(scores));
        w.WriteLine("question score (customer's last message vs best passage), percentiles: " + PercentileLine(questions));
        w.WriteLine(Invariant($"questions below the threshold (would abstain): {questions.Count(q => q < threshold)} of {questions.Length} ({(questions.Length == 0 ? 0 : (double)questions.Count(q => q < threshold) / questions.Length):P1})"));
        w.WriteLine("answer score histogram:");
        for (var low = -0.1; low < 1.0; low += 0.1)
        {
            var count = scores.Count(s => s >= low && s < low + 0.1);
            if (count > 0)
            {
                w.WriteLine(Invariant($"  [{low:0.0}, {low + 0.1:0.0}) {count,5} {new string('#', (int)Math.Ceiling(60.0 * count / scores.Length))}"));
            }
        }

        w.WriteLine(Invariant($"embedding: {evaluation.EmbeddedTexts} texts in {evaluation.EmbeddingTime.TotalSeconds:0.0} s; {ms:0.0} ms per assistant message, {perText:0.00} ms per text"));
        foreach (var turn in drawn)
        {
            var best = turn.Assessment.Sentences.MaxBy(s => s.Score);
            w.WriteLine();
            w.WriteLine(Invariant($"--- {turn.RunId} step {turn.StepIndex}: score {turn.Assessment.Score:0.000}"));
            w.WriteLine($"Q: {Shorten(turn.Question, 300)}");
            w.WriteLine($"A: {Shorten(turn.Answer, 600)}");
            if (best is not null)
            {
                var passage = turn.Retrieved.First(h => h.Passage.Id == best.PassageId).Passage;
                w.WriteLine($"best sentence: {Shorten(best.Sentence, 200)}");
                w.WriteLine($"best passage {passage.Id}: {Shorten(passage.Text, 300)}");
            }
        }
    }

    private static void WriteGroundJson(GroundingEvaluation evaluation, KnowledgeBase knowledgeBase, double[] scores, double[] questions, List<GroundedTurn> drawn, double perText)
    {
        using var stream = Console.OpenStandardOutput();
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("documents", knowledgeBase.DocumentCount);
        json.WriteNumber("passages", knowledgeBase.Passages.Count);
        json.WriteNumber("threshold", knowledgeBase.Options.AbstainBelow);
        json.WriteNumber("assistant_turns", evaluation.Turns.Count);
        json.WriteNumber("unsupported", evaluation.Unsupported);
        json.WriteNumber("unsupported_share", Math.Round(evaluation.UnsupportedShare, 4));
        json.WriteNumber("questions_below_threshold", questions.Count(q => q < knowledgeBase.Options.AbstainBelow));
        json.WriteNumber("questions", questions.Length);
        json.WriteStartObject("answer_score_percentiles");
        foreach (var p in Percentiles)
        {
            json.WriteNumber(Invariant($"p{p * 100:0}"), Math.Round(Percentile(scores, p), 4));
        }

        json.WriteEndObject();
        json.WriteNumber("embedded_texts", evaluation.EmbeddedTexts);
        json.WriteNumber("embedding_ms_per_message", Math.Round(evaluation.EmbeddingMsPerTurn, 2));
        json.WriteNumber("embedding_ms_per_text", Math.Round(perText, 3));
        json.WriteStartArray("sample");
        foreach (var turn in drawn)
        {
            json.WriteStartObject();
            json.WriteString("run", turn.RunId);
            json.WriteNumber("step", turn.StepIndex);
            WriteNumber(json, "score", turn.Assessment.Score);
            json.WriteString("question", turn.Question);
            json.WriteString("answer", turn.Answer);
            json.WriteString("best_passage", turn.Retrieved.Count > 0 ? turn.Retrieved[0].Passage.Id : null);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static string PercentileLine(double[] sorted) =>
        string.Join(", ", Percentiles.Select(p => Invariant($"p{p * 100:0} {Percentile(sorted, p):0.000}")));

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Decision(RetrievalDecision decision) => decision == RetrievalDecision.Answer ? "answer" : "abstain_and_hand_off";

    private static string Format(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "none";

    private static string Shorten(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..max] + "…";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
