using Keel.Model;

namespace Keel.Replay;

/// <summary>A recorded run after replay: Keel's record of it and the governed calls with their decisions.</summary>
/// <param name="Recorded">The input.</param>
/// <param name="Run">Keel's run record (events, failures, handoff packet).</param>
/// <param name="Calls">The agent's tool calls in order, with decisions.</param>
/// <param name="Findings">Monitor findings in order.</param>
public sealed record ReplayedRun(RecordedRun Recorded, Run Run, IReadOnlyList<AuditedCall> Calls, IReadOnlyList<Finding> Findings);
