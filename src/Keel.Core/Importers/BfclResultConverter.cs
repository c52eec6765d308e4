using System.Globalization;
using System.Text.Json;
using Keel.Model;
using Keel.Replay;

namespace Keel.Importers;

/// <summary>
/// Converts one line of a BFCL result file into a <see cref="RecordedRun"/>: the item's request from the question file, the
/// model's calls, the item's own functions as the run's tool catalog, and the checker's verdict as the label. One converter
/// per file read; not thread-safe.
/// </summary>
/// <remarks>
/// <para>Result line: <c>{"id", "result", "input_token_count", "output_token_count", "latency"}</c>. <c>result</c> shapes:
/// a list of <c>{"&lt;function name&gt;": "&lt;arguments as JSON text&gt;"}</c> objects (function-calling models; the text is
/// passed on unchanged, even when it is not valid JSON: that is agent behaviour for the schema stage to judge); the
/// arguments as an object instead of text (kept as its JSON text); an object with several names (one call each, in order);
/// an empty list (no call); or a string: the model answered in text and made no call (prompt-mode results that spell calls
/// in Python syntax are not decoded). A list of lists (multi-turn results) is not supported.</para>
/// <para>Steps: the question's messages in order (user, system, assistant), then the calls (parallel index and count set,
/// ids <c>&lt;item id&gt;-call&lt;k&gt;</c>, no recorded result) or the text reply. The token counts become the usage of the
/// model's turn (cost unknown: 0 USD).</para>
/// </remarks>
internal sealed class BfclResultConverter
{
    private readonly BfclLayout _layout;
    private readonly BfclQuestionFile _questions;
    private readonly BfclScoreFile _scores;
    private readonly BfclFunctions _functions = new();
    private readonly RecordedStepBuilder _steps = new();

    /// <summary>Creates a converter for one result file.</summary>
    /// <param name="layout">The result file and its companions.</param>
    /// <param name="questions">The loaded question file.</param>
    /// <param name="scores">The loaded score file.</param>
    public BfclResultConverter(BfclLayout layout, BfclQuestionFile questions, BfclScoreFile scores)
    {
        _layout = layout;
        _questions = questions;
        _scores = scores;
    }

    /// <summary>Converts one result line.</summary>
    /// <param name="record">The parsed line.</param>
    /// <param name="line">0-based line index in the result file (the record index).</param>
    /// <returns>The run.</returns>
    /// <exception cref="RecordFormatException">The line or its question is broken; the path is in the result line (<c>$.id</c>
    /// with the question file's record and path in the message when the question is at fault).</exception>
    public RecordedRun Convert(JsonElement record, int line)
    {
        var at = new RecordPath("$", -1);
        JsonFields.RequireObject(record, at);
        var id = JsonFields.RequireString(record, "id", at);
        if (!_questions.TryGet(id, out var questionLine, out var question))
        {
            throw new RecordFormatException(at.Format("id"), _questions.Missing(id));
        }

        _steps.Reset();
        Tools.ToolCatalog tools;
        try
        {
            var questionAt = new RecordPath("$", -1);
            JsonFields.RequireObject(question, questionAt);
            tools = _functions.Catalog(question, _questions.Path, questionAt);
            ReadQuestion(question, questionAt);
        }
        catch (RecordFormatException ex)
        {
            throw new RecordFormatException(at.Format("id"), string.Create(CultureInfo.InvariantCulture, $"the question '{id}' ({_questions.Path} record {questionLine} at {ex.JsonPath}) is broken: {ex.Message}"));
        }

        var before = _steps.StepCount;
        ReadResult(record, id, at);
        var tokens = (long)((JsonFields.OptionalNumber(record, "input_token_count", at) ?? 0) + (JsonFields.OptionalNumber(record, "output_token_count", at) ?? 0));
        if (tokens > 0)
        {
            _steps.AttachUsage(before, new ModelUsage(tokens, 0m));
        }

        return new RecordedRun
        {
            Id = "bfcl-" + id,
            Source = new RecordSource(_layout.ResultFile, line),
            Domain = _layout.Category,
            AgentModel = _layout.Model,
            StartedAt = DomainClock.Unknown,
            Steps = _steps.ToArray(),
            Labels = RunLabels.None with { TaskId = id, Calls = _scores.LabelOf(id) },
            Tools = tools,
        };
    }

    private void ReadQuestion(JsonElement question, in RecordPath at)
    {
        var turns = JsonFields.RequireArray(question, "question", at);
        var turn = 0;
        foreach (var entry in turns.EnumerateArray())
        {
            var turnAt = at.Item("question", turn++);
            if (entry.ValueKind == JsonValueKind.Object)
            {
                ReadMessage(entry, turnAt); // older files: a flat list of messages
                continue;
            }

            if (entry.ValueKind != JsonValueKind.Array)
            {
                throw JsonFields.Mismatch(turnAt, null, "a list of messages (one turn)", entry);
            }

            var index = 0;
            var turnRoot = turnAt.Format(null);
            foreach (var message in entry.EnumerateArray())
            {
                ReadMessage(message, new RecordPath(turnRoot, index++)); // $.question[t][m]
            }
        }
    }

    private void ReadMessage(JsonElement message, in RecordPath at)
    {
        JsonFields.RequireObject(message, at);
        var role = JsonFields.RequireString(message, "role", at, "a string (user, system or assistant)");
        if (!RecordedStepBuilder.TryParseRole(role, out var messageRole))
        {
            throw new RecordFormatException(at.Format("role"), $"expected user, system or assistant, found '{role}'");
        }

        _steps.AddMessage(messageRole, JsonFields.OptionalString(message, "content", at), toolCallCount: 0, timestamp: null);
    }

    private void ReadResult(JsonElement record, string id, in RecordPath at)
    {
        var result = record.TryGetProperty("result", out var value) ? value : default;
        switch (result.ValueKind)
        {
            case JsonValueKind.String:
                _steps.AddMessage(MessageRole.Assistant, result.GetString(), toolCallCount: 0, timestamp: null);
                return;
            case JsonValueKind.Array:
                break;
            default:
                throw JsonFields.Mismatch(at, "result", "a list of {function name: arguments} objects or the model's text", result);
        }

        var calls = new List<(string Name, string Arguments)>();
        var index = 0;
        foreach (var entry in result.EnumerateArray())
        {
            var entryAt = at.Item("result", index++);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                var hint = entry.ValueKind == JsonValueKind.Array ? "; multi-turn BFCL results (a list per turn) are not supported" : string.Empty;
                throw JsonFields.Mismatch(entryAt, null, "an object {function name: arguments}" + hint, entry);
            }

            foreach (var call in entry.EnumerateObject())
            {
                calls.Add((call.Name, call.Value.ValueKind == JsonValueKind.String ? call.Value.GetString()! : call.Value.GetRawText()));
            }
        }

        for (var k = 0; k < calls.Count; k++)
        {
            var call = new ToolCall(string.Create(CultureInfo.InvariantCulture, $"{id}-call{k}"), calls[k].Name, calls[k].Arguments, k, calls.Count);
            _steps.AddToolCall(call, "assistant", timestamp: null);
        }
    }
}
