using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Keel.Gateway;

namespace Keel.Approvals;

/// <summary>The SHA-256 digest an approval is bound to: agent name, agent version, tool, tool schema version and the canonical
/// arguments of one exact call. Any change to any of them gives another digest, so an approval never covers a different call.</summary>
/// <remarks>Each field is written as its UTF-8 byte length (4 bytes, big-endian) followed by its bytes, so no two different
/// field lists hash the same input. Arguments are canonical JSON (<see cref="CanonicalJson"/>: members sorted, no whitespace),
/// so key order and spacing do not change the digest. Format: <c>sha256:</c> + 64 lower-case hex digits.</remarks>
public static class ApprovalDigest
{
    /// <summary>The digest's prefix.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Computes the digest of a call from its parts.</summary>
    /// <param name="agentName">The agent, e.g. <c>tau-airline</c>.</param>
    /// <param name="agentVersion">The agent version, e.g. <c>1.0.0</c>.</param>
    /// <param name="toolName">The tool.</param>
    /// <param name="schemaVersion">The tool's schema version (<see cref="Tools.ToolDefinition.SchemaVersion"/>); <c>unknown</c> for a tool not in the catalog.</param>
    /// <param name="canonicalArguments">The arguments as canonical JSON.</param>
    /// <returns><c>sha256:</c> and 64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentNullException">A part is <see langword="null"/>.</exception>
    public static string Compute(string agentName, string agentVersion, string toolName, string schemaVersion, string canonicalArguments)
    {
        ArgumentNullException.ThrowIfNull(agentName);
        ArgumentNullException.ThrowIfNull(agentVersion);
        ArgumentNullException.ThrowIfNull(toolName);
        ArgumentNullException.ThrowIfNull(schemaVersion);
        ArgumentNullException.ThrowIfNull(canonicalArguments);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in (ReadOnlySpan<string>)["keel.approval.v1", agentName, agentVersion, toolName, schemaVersion, canonicalArguments])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Computes the digest of the call in <paramref name="context"/> (after the record stage parsed its arguments).</summary>
    /// <param name="context">The call.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static string For(ToolCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arguments = context.Arguments.ValueKind == System.Text.Json.JsonValueKind.Object
            ? CanonicalJson.Write(context.Arguments)
            : context.Call.ArgumentsJson;
        var schemaVersion = context.Tool?.SchemaVersion
            ?? (context.Agent.Tools.TryGet(context.Call.ToolName, out var tool) ? tool.SchemaVersion : "unknown");
        return Compute(context.Agent.AgentName, context.Agent.Version, context.Call.ToolName, schemaVersion, arguments);
    }
}
