using Keel.Model;
using Keel.Tools;

namespace Keel.Replay;

/// <summary>One governed tool call of a replayed run: what happened in the recording and what Keel decided.</summary>
/// <param name="Call">The call.</param>
/// <param name="ToolType">The tool's type, <see langword="null"/> for a tool the catalog does not know.</param>
/// <param name="Decision">Keel's decision.</param>
/// <param name="Recorded">The recorded result, <see langword="null"/> when the recording has none.</param>
public sealed record AuditedCall(ToolCall Call, ToolType? ToolType, Decision Decision, ToolResult? Recorded)
{
    /// <summary>A write that succeeded in the recording.</summary>
    public bool IsSuccessfulWrite => ToolType == Tools.ToolType.Write && Recorded?.IsSuccess == true;

    /// <summary>Keel would have denied, escalated or held it.</summary>
    public bool IsHeld => Decision.IsHeldOrDenied;
}
