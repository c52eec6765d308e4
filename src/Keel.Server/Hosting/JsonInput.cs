using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Keel.Server.Hosting;

/// <summary>What is wrong with a JSON text, and where.</summary>
/// <param name="Path">The JSONPath of the value or member where reading stopped, e.g. <c>$.arguments.order_id</c> or <c>$.items[2]</c>.</param>
/// <param name="Message">What is wrong there, for the caller to fix.</param>
/// <param name="Kind">Which rule the text breaks.</param>
internal sealed record JsonInputProblem(string Path, string Message, JsonInputProblemKind Kind);

/// <summary>The rule a JSON text breaks.</summary>
internal enum JsonInputProblemKind
{
    /// <summary>Not RFC 8259 JSON: a syntax error, or not exactly one value.</summary>
    Syntax,

    /// <summary>Objects and arrays nested deeper than <see cref="JsonInput.MaxDepth"/>.</summary>
    Depth,

    /// <summary>A string or member name that is not text: invalid UTF-8, or a lone surrogate escape.</summary>
    Text,
}

/// <summary>Checks a JSON text the way Keel reads it, once, where it enters: RFC 8259 syntax, one value, nesting at most
/// <see cref="MaxDepth"/>, valid UTF-8, and <c>\u</c> escapes that make whole UTF-16 characters. RFC 8259 §8.2 allows an
/// escaped lone surrogate (<c>"\ud800"</c>) in the grammar but says its behaviour is unpredictable; .NET cannot turn one into a
/// string (reading it throws), so Keel refuses it at the edge with the path of the string instead of failing deep inside.</summary>
/// <remarks>Numbers of any size pass: JSON allows them, and the parts of Keel that read numbers check their own ranges. Thread-safe (no state).</remarks>
internal static class JsonInput
{
    /// <summary>The deepest nesting accepted: 64 objects or arrays, System.Text.Json's default.</summary>
    public const int MaxDepth = 64;

    /// <summary>Checks a UTF-8 JSON text.</summary>
    /// <param name="utf8">The text.</param>
    /// <param name="root">The path of the text's root value, e.g. <c>$</c>, or <c>$.arguments</c> for JSON held in a string field.</param>
    /// <returns><see langword="null"/> when the text is fine; otherwise the first problem and its path.</returns>
    public static JsonInputProblem? Check(ReadOnlySpan<byte> utf8, string root = "$")
    {
        // One level more for the reader, so that the depth check below names the path instead of the reader throwing first.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        var path = new PathTracker(root);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        path.Name(null);
                        if (StringProblem(ref reader) is { } nameProblem)
                        {
                            return new JsonInputProblem(path.Current() + "['" + RawName(reader.ValueSpan) + "']", $"a member name {nameProblem}", JsonInputProblemKind.Text);
                        }

                        path.Name(reader.GetString()!);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        path.Value();
                        if (reader.CurrentDepth + 1 > MaxDepth)
                        {
                            return new JsonInputProblem(path.Current(), $"objects and arrays are nested deeper than {MaxDepth} levels", JsonInputProblemKind.Depth);
                        }

                        path.Push(reader.TokenType == JsonTokenType.StartArray);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.Pop();
                        break;
                    case JsonTokenType.String:
                        path.Value();
                        if (StringProblem(ref reader) is { } valueProblem)
                        {
                            return new JsonInputProblem(path.Current(), $"the string {valueProblem}", JsonInputProblemKind.Text);
                        }

                        break;
                    default:
                        path.Value();
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return new JsonInputProblem(path.Current(), Describe(ex), JsonInputProblemKind.Syntax);
        }

        return null;
    }

    /// <summary>Checks JSON held in a .NET string (e.g. tool arguments sent as a string).</summary>
    /// <param name="text">The text.</param>
    /// <param name="root">The path of the text's root value.</param>
    /// <returns><see langword="null"/> when fine; otherwise the first problem.</returns>
    public static JsonInputProblem? Check(string text, string root) => Check(Encoding.UTF8.GetBytes(text), root);

    private static string? StringProblem(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (!Utf8.IsValid(raw))
        {
            return "is not valid UTF-8";
        }

        return reader.ValueIsEscaped && HasLoneSurrogate(raw)
            ? "has a \\u escape that is half of a UTF-16 surrogate pair (e.g. \\ud800 alone); send the character itself or both halves (\\ud83d\\ude00)"
            : null;
    }

    /// <summary>Whether the escaped text of a JSON string has a <c>\uD800</c>–<c>\uDFFF</c> escape that is not part of a high-low pair.</summary>
    internal static bool HasLoneSurrogate(ReadOnlySpan<byte> raw)
    {
        var pendingHigh = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || i + 1 >= raw.Length)
            {
                if (pendingHigh)
                {
                    return true;
                }

                continue;
            }

            if (raw[i + 1] != (byte)'u' || i + 5 >= raw.Length)
            {
                if (pendingHigh)
                {
                    return true;
                }

                i++;
                continue;
            }

            var code = Hex(raw[i + 2]) << 12 | Hex(raw[i + 3]) << 8 | Hex(raw[i + 4]) << 4 | Hex(raw[i + 5]);
            i += 5;
            if (code is >= 0xD800 and <= 0xDBFF)
            {
                if (pendingHigh)
                {
                    return true;
                }

                pendingHigh = true;
            }
            else if (code is >= 0xDC00 and <= 0xDFFF)
            {
                if (!pendingHigh)
                {
                    return true;
                }

                pendingHigh = false;
            }
            else if (pendingHigh)
            {
                return true;
            }
        }

        return pendingHigh;
    }

    private static int Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => 0,
    };

    // The member's text as sent (its escapes kept), at most 100 bytes; "?" when it is not UTF-8.
    private static string RawName(ReadOnlySpan<byte> raw) =>
        Utf8.IsValid(raw) ? Encoding.UTF8.GetString(raw[..Math.Min(raw.Length, 100)]).TrimEnd('\uFFFD') : "?";

    private static string Describe(JsonException ex)
    {
        var at = ex.LineNumber is { } line && ex.BytePositionInLine is { } position ? $" (line {line + 1}, byte {position + 1})" : string.Empty;
        return $"not valid JSON{at}: {FirstSentence(ex.Message)}";
    }

    // Utf8JsonReader's messages end in " LineNumber: n | BytePositionInLine: m." — the position is given once, above.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>The JSONPath of the reader's position: a stack of member names and array indexes.</summary>
    private sealed class PathTracker(string root)
    {
        private readonly List<(bool IsArray, int Index, string? Name)> _frames = [];

        public void Push(bool isArray) => _frames.Add((isArray, -1, null));

        public void Pop()
        {
            if (_frames.Count > 0)
            {
                _frames.RemoveAt(_frames.Count - 1);
            }
        }

        public void Name(string? name)
        {
            if (_frames.Count > 0)
            {
                _frames[^1] = _frames[^1] with { Name = name };
            }
        }

        /// <summary>A value starts: in an array, it is the next element.</summary>
        public void Value()
        {
            if (_frames.Count > 0 && _frames[^1].IsArray)
            {
                _frames[^1] = _frames[^1] with { Index = _frames[^1].Index + 1 };
            }
        }

        public string Current()
        {
            var builder = new StringBuilder(root);
            foreach (var (isArray, index, name) in _frames)
            {
                if (isArray && index >= 0)
                {
                    builder.Append('[').Append(index).Append(']');
                }
                else if (!isArray && name is not null)
                {
                    builder.Append(Segment(name));
                }
            }

            return builder.ToString();
        }

        private static string Segment(string name) =>
            name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
                ? "." + name
                : "['" + Escape(name) + "']";

        private static string Escape(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (var c in name.Length > 100 ? name[..100] : name)
            {
                _ = c switch
                {
                    '\'' => builder.Append("\\'"),
                    '\\' => builder.Append("\\\\"),
                    _ when char.IsControl(c) || char.IsSurrogate(c) => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                    _ => builder.Append(c),
                };
            }

            return builder.ToString();
        }
    }
}
