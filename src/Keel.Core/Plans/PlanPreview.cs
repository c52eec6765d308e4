using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Keel.Gateway;

namespace Keel.Plans;

/// <summary>
/// The plan of one write: what the records it touches look like now (<see cref="Before"/>) and after the write
/// (<see cref="After"/>), the JSON Patch between them and its digest. An approval binds <see cref="Digest"/>: the write may
/// be applied only while a fresh preview still has the same digest (docs/plans.md). Immutable and thread-safe.
/// </summary>
public sealed record PlanPreview
{
    private PlanPreview(string tool, string previewTool, JsonElement before, JsonElement after, JsonElement patch, string digest, IReadOnlyList<string> summary)
    {
        Tool = tool;
        PreviewTool = previewTool;
        Before = before;
        After = after;
        Patch = patch;
        Digest = digest;
        Summary = summary;
    }

    /// <summary>Gets the tool whose call is planned, e.g. <c>cancel_reservation</c>.</summary>
    public string Tool { get; }

    /// <summary>Gets the tool (or registered dry run) that produced the preview, e.g. <c>preview_cancel_reservation</c>.</summary>
    public string PreviewTool { get; }

    /// <summary>Gets the touched records as they are now (the <c>before</c> of the preview's answer).</summary>
    public JsonElement Before { get; }

    /// <summary>Gets the same records as the write would leave them (the <c>after</c> of the preview's answer).</summary>
    public JsonElement After { get; }

    /// <summary>Gets the RFC 6902 JSON Patch from <see cref="Before"/> to <see cref="After"/>: a JSON array made by
    /// <see cref="JsonPatchDiff.Create"/>; empty when the write would change nothing.</summary>
    public JsonElement Patch { get; }

    /// <summary>Gets <c>"sha256:"</c> + the lower-case hex SHA-256 of the UTF-8 canonical JSON of <c>{"before": Before, "patch": Patch}</c>
    /// (<see cref="CanonicalJson"/>: members sorted by ordinal name, no whitespace). Two previews have the same digest exactly when
    /// they plan the same change from the same state, whatever the member order of the preview's answer. The state is bound
    /// too because a JSON Patch <c>replace</c> names only the new value: "set the balance to 0" from 40 and from 75 is the same
    /// patch, but not the same change a person approved.</summary>
    public string Digest { get; }

    /// <summary>Gets one line per patch operation for a person, in patch order, e.g. <c>replace /status: "active" → "cancelled"</c>,
    /// <c>add /payment_history/2: {"amount":-100,…}</c>, <c>remove /flights/1: {…}</c>. Values are compact JSON as the preview wrote them (non-ASCII text unescaped) cut to
    /// <see cref="SummaryValueLength"/> characters (ending in <c>…</c>).</summary>
    public IReadOnlyList<string> Summary { get; }

    /// <summary>Gets whether the write would change nothing (an empty patch).</summary>
    public bool IsEmpty => Patch.GetArrayLength() == 0;

    /// <summary>The longest value shown in a <see cref="Summary"/> line, in characters: 80.</summary>
    public const int SummaryValueLength = 80;

    /// <summary>Builds the plan of a write from the before and after states a preview reported.</summary>
    /// <param name="tool">The tool whose call is planned.</param>
    /// <param name="previewTool">The preview tool or registered dry run that reported the states.</param>
    /// <param name="before">The touched records now.</param>
    /// <param name="after">The touched records after the write.</param>
    /// <returns>The plan with its patch, digest and summary; <paramref name="before"/> and <paramref name="after"/> are kept detached.</returns>
    /// <exception cref="ArgumentException"><paramref name="tool"/> or <paramref name="previewTool"/> is empty, or a state holds no JSON value.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="tool"/> or <paramref name="previewTool"/> is <see langword="null"/>.</exception>
    public static PlanPreview Create(string tool, string previewTool, JsonElement before, JsonElement after)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        ArgumentException.ThrowIfNullOrEmpty(previewTool);
        var patch = JsonPatchDiff.Create(before, after);
        var kept = before.Clone();
        return new PlanPreview(tool, previewTool, kept, after.Clone(), patch, DigestOf(kept, patch), Summarize(kept, patch));
    }

    /// <summary>The digest of a change: <c>"sha256:"</c> + lower-case hex SHA-256 of the UTF-8 canonical JSON of
    /// <c>{"before": before, "patch": patch}</c>.</summary>
    /// <param name="before">The state the patch applies to.</param>
    /// <param name="patch">A JSON Patch (any JSON value is accepted).</param>
    /// <returns>E.g. <c>sha256:4f53…</c> (71 characters).</returns>
    /// <exception cref="ArgumentException"><paramref name="before"/> or <paramref name="patch"/> holds no JSON value.</exception>
    public static string DigestOf(JsonElement before, JsonElement patch)
    {
        if (patch.ValueKind == JsonValueKind.Undefined || before.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The state or the patch holds no JSON (default JsonElement).", nameof(patch));
        }

        var canonical = $"{{\"before\":{CanonicalJson.Write(before)},\"patch\":{CanonicalJson.Write(patch)}}}";
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Whether this plan is the one a person reviewed: its <see cref="Digest"/> equals <paramref name="reviewedDigest"/> (ordinal).</summary>
    /// <param name="reviewedDigest">The digest bound to the approval; <see langword="null"/> matches nothing.</param>
    /// <returns><see langword="true"/> when the write would still make exactly the reviewed change.</returns>
    public bool Matches(string? reviewedDigest) => string.Equals(Digest, reviewedDigest, StringComparison.Ordinal);

    private static string[] Summarize(JsonElement before, JsonElement patch)
    {
        var lines = new string[patch.GetArrayLength()];
        var i = 0;
        foreach (var operation in patch.EnumerateArray())
        {
            var op = operation.GetProperty("op").GetString()!;
            var path = operation.GetProperty("path").GetString()!;
            var shown = path.Length == 0 ? "(whole value)" : path;
            var old = JsonPatchDiff.TryResolve(before, path, out var was) ? Show(was) : "?";
            lines[i++] = op switch
            {
                "replace" => $"replace {shown}: {old} → {Show(operation.GetProperty("value"))}",
                "add" => $"add {shown}: {Show(operation.GetProperty("value"))}",
                _ => $"remove {shown}: {old}",
            };
        }

        return lines;
    }

    private static string Show(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text.Length <= SummaryValueLength ? text : string.Concat(text.AsSpan(0, SummaryValueLength - 1), "…");
    }
}
