using System.Text.Json;
using Keel.Model;

namespace Keel.Gateway;

/// <summary>The fingerprint of a tool call — tool name and canonical arguments — that the loop guard counts repeats of.</summary>
public static class ToolCallFingerprint
{
    /// <summary>Computes the fingerprint and parses the arguments.</summary>
    /// <param name="call">The call.</param>
    /// <param name="arguments">The parsed arguments when they are a JSON object; <c>default</c> otherwise.</param>
    /// <returns>The tool name, a unit separator (U+001F), and the canonical arguments (or the raw text when they do not parse).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    public static string Compute(ToolCall call, out JsonElement arguments)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.TryParseArguments(out arguments, out _)
            ? call.ToolName + "\u001f" + CanonicalJson.Write(arguments)
            : call.ToolName + "\u001f" + call.ArgumentsJson;
    }
}
