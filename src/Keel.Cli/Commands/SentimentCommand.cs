using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Sentiment;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel sentiment score &lt;file&gt; [--json]</c> and <c>keel sentiment text &lt;sentence&gt; [--json]</c>: VADER (docs/sentiment.md).</summary>
internal static class SentimentCommand
{
    private const int SkipsShown = 5;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A ground-truth file in VADER's format: one text per line, id<TAB>mean<TAB>text, the mean a human rating on -4 … +4 (e.g. tweets_GroundTruth.txt from the paper's data)." };
        var json = new Option<bool>("--json") { Description = "Print the evaluation as JSON instead of text." };
        var human = new Option<double>("--human-threshold") { Description = "Class threshold on the human mean (-4 … +4): positive at or above it, negative at or below its negation. Default 0.05, the paper's threshold applied to the mean as it is (0.2 reads the paper as normalising the mean by 4; docs/sentiment.md).", DefaultValueFactory = _ => SentimentEvaluator.DefaultHumanThreshold };
        var compound = new Option<double>("--compound-threshold") { Description = "Class threshold on VADER's compound score (-1 … +1). Default 0.05, the paper's and the reference README's.", DefaultValueFactory = _ => VaderConstants.CompoundThreshold };
        var score = new Command(
            "score",
            "Score a human-rated ground-truth file with VADER and compare with the human means as the VADER paper does (Hutto & Gilbert, ICWSM 2014, Table 4): "
            + "Pearson r between compound score and human mean, and three-class (negative, neutral, positive) accuracy, per-class precision/recall/F1, macro and weighted F1. "
            + "Broken lines are skipped and counted with file:line and the reason. Exit code 0: scored; 2: no such file, or no line could be read.")
        {
            file, json, human, compound,
        };
        score.SetAction(parse => Score(parse.GetValue(file)!, parse.GetValue(json), parse.GetValue(human), parse.GetValue(compound)));

        var sentence = new Argument<string>("sentence") { Description = "The text to score, ideally one sentence (quote it)." };
        var textJson = new Option<bool>("--json") { Description = "Print the scores as JSON." };
        var text = new Command("text", "Score one sentence with VADER: negative, neutral and positive shares (0 … 1) and the compound score (-1 … +1; positive at or above 0.05, negative at or below -0.05).")
        {
            sentence, textJson,
        };
        text.SetAction(parse => Text(parse.GetValue(sentence)!, parse.GetValue(textJson)));

        return new Command("sentiment", "Sentiment with VADER, a published and validated rule-based method (Hutto & Gilbert, ICWSM 2014; lexicon MIT, C.J. Hutto). See docs/sentiment.md.") { score, text };
    }

    internal static int Score(string path, bool json, double humanThreshold = SentimentEvaluator.DefaultHumanThreshold, double compoundThreshold = VaderConstants.CompoundThreshold)
    {
        var console = AnsiConsole.Console;
        if (humanThreshold < 0 || compoundThreshold < 0 || !double.IsFinite(humanThreshold) || !double.IsFinite(compoundThreshold))
        {
            console.MarkupLine("[red]error:[/] thresholds are finite numbers of 0 or more");
            return ExitCodes.BadInput;
        }

        if (!File.Exists(path))
        {
            console.MarkupLineInterpolated($"[red]error:[/] no such file: {path} (expected a ground-truth file, id<TAB>mean<TAB>text per line)");
            return ExitCodes.BadInput;
        }

        GroundTruthSet set;
        try
        {
            set = GroundTruthReader.Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] cannot read {path}: {ex.Message}");
            return ExitCodes.BadInput;
        }

        var evaluation = SentimentEvaluator.Evaluate(set.Items, SentimentAnalyzer.Default, humanThreshold, compoundThreshold);
        if (json)
        {
            console.Profile.Out.Writer.WriteLine(ToJson(set, evaluation));
        }
        else
        {
            WriteText(console, set, evaluation);
        }

        if (set.Items.Count == 0 && !json)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {path}: no line could be read as id<TAB>mean<TAB>text");
            return ExitCodes.BadInput;
        }

        return set.Items.Count == 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    internal static int Text(string sentence, bool json)
    {
        var scores = SentimentAnalyzer.Default.Score(sentence);
        var console = AnsiConsole.Console;
        if (json)
        {
            console.Profile.Out.Writer.WriteLine(Json(writer =>
            {
                writer.WriteNumber("neg", scores.Negative);
                writer.WriteNumber("neu", scores.Neutral);
                writer.WriteNumber("pos", scores.Positive);
                writer.WriteNumber("compound", scores.Compound);
                writer.WriteString("polarity", Name(scores.Polarity()));
            }));
            return ExitCodes.Ok;
        }

        console.Profile.Out.Writer.WriteLine(Invariant($"neg {scores.Negative:0.000}  neu {scores.Neutral:0.000}  pos {scores.Positive:0.000}  compound {scores.Compound:0.0000}  ({Name(scores.Polarity())})"));
        return ExitCodes.Ok;
    }

    private static void WriteText(IAnsiConsole console, GroundTruthSet set, SentimentEvaluation e)
    {
        // Plain lines, unwrapped: the figures are for reading and for grep.
        var output = console.Profile.Out.Writer;
        void WriteLine(string line) => output.WriteLine(line);

        WriteLine($"{set.Source}: {set.Items.Count} lines scored, {set.Skipped.Count} skipped");
        foreach (var skip in set.Skipped.Take(SkipsShown))
        {
            WriteLine($"  skipped {skip}");
        }

        if (set.Skipped.Count > SkipsShown)
        {
            WriteLine($"  … and {set.Skipped.Count - SkipsShown} more");
        }

        WriteLine(Invariant($"Pearson r (compound vs human mean): {e.PearsonR:0.000}"));
        WriteLine(Invariant($"Three classes (human mean >= +{e.HumanThreshold} positive, <= -{e.HumanThreshold} negative; compound >= +{e.CompoundThreshold} / <= -{e.CompoundThreshold}):"));
        WriteLine(Invariant($"  accuracy {e.Accuracy:0.000}   weighted F1 {e.WeightedF1:0.000} (the paper's 'overall' F1 is closest to this)   macro F1 {e.MacroF1:0.000}"));
        WriteLine("  class          support  predicted  precision  recall     F1");
        foreach (var c in e.Classes)
        {
            WriteLine(Invariant($"  {Name(c.Class),-12} {c.Support,9} {c.Predicted,10} {c.Precision,10:0.000} {c.Recall,7:0.000} {c.F1,6:0.000}"));
        }

        WriteLine(Invariant($"  {"macro avg",-12} {e.Count,9} {"",10} {e.MacroPrecision,10:0.000} {e.MacroRecall,7:0.000} {e.MacroF1,6:0.000}"));
        WriteLine(Invariant($"  {"weighted avg",-12} {e.Count,9} {"",10} {e.WeightedPrecision,10:0.000} {e.WeightedRecall,7:0.000} {e.WeightedF1,6:0.000}"));
    }

    private static string ToJson(GroundTruthSet set, SentimentEvaluation e) => Json(writer =>
    {
        writer.WriteString("file", set.Source);
        writer.WriteNumber("scored", set.Items.Count);
        writer.WriteNumber("skipped", set.Skipped.Count);
        writer.WriteStartArray("skips");
        foreach (var skip in set.Skipped)
        {
            writer.WriteStartObject();
            writer.WriteNumber("line", skip.Line);
            writer.WriteString("reason", skip.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        Number(writer, "pearsonR", e.PearsonR);
        writer.WriteNumber("humanThreshold", e.HumanThreshold);
        writer.WriteNumber("compoundThreshold", e.CompoundThreshold);
        writer.WriteNumber("accuracy", e.Accuracy);
        writer.WriteNumber("macroPrecision", e.MacroPrecision);
        writer.WriteNumber("macroRecall", e.MacroRecall);
        writer.WriteNumber("macroF1", e.MacroF1);
        writer.WriteNumber("weightedPrecision", e.WeightedPrecision);
        writer.WriteNumber("weightedRecall", e.WeightedRecall);
        writer.WriteNumber("weightedF1", e.WeightedF1);
        writer.WriteStartObject("classes");
        foreach (var c in e.Classes)
        {
            writer.WriteStartObject(Name(c.Class));
            writer.WriteNumber("support", c.Support);
            writer.WriteNumber("predicted", c.Predicted);
            writer.WriteNumber("precision", c.Precision);
            writer.WriteNumber("recall", c.Recall);
            writer.WriteNumber("f1", c.F1);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("confusion");
        foreach (var row in e.Confusion)
        {
            writer.WriteStartArray();
            foreach (var cell in row)
            {
                writer.WriteNumberValue(cell);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    });

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Name(SentimentPolarity polarity) => polarity.ToString().ToLowerInvariant();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
