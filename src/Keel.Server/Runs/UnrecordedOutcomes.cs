using System.Collections.Concurrent;
using Keel.Storage;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Runs;

/// <summary>Outcomes of tool calls that ran but whose commit the store refused (disk full, database down): kept in memory with the
/// answer the agent got, retried until stored, and answered again — never executed again — to a retry with the same
/// idempotency key. See docs/storage.md ("executed, not recorded").</summary>
/// <remarks>Thread-safe. The outcomes live in this process: a crash before the store accepts them loses them, which the agent was
/// told (<c>urn:keel:problem:executed-not-recorded</c>).</remarks>
internal sealed partial class UnrecordedOutcomes(ILogger<UnrecordedOutcomes> logger)
{
    private readonly ConcurrentDictionary<(string Workspace, string KeyId, string Key), StoredResponse> _answers = new();
    private readonly ConcurrentDictionary<LiveRun, byte> _runs = new();

    /// <summary>How many runs have an outcome waiting to be stored.</summary>
    public int Count => _runs.Count;

    /// <summary>The runs with an outcome waiting to be stored.</summary>
    public IEnumerable<LiveRun> Runs => _runs.Keys;

    /// <summary>Keeps a refused commit of a call that ran.</summary>
    public void Add(LiveRun live, RunCommit commit)
    {
        live.Pending = commit;
        _runs[live] = 0;
        if (commit.Idempotency is { } answer)
        {
            _answers[(answer.WorkspaceId, answer.KeyId, answer.IdempotencyKey)] = answer.Response;
        }

        LogKept(logger, live.Run.WorkspaceId, live.Run.Id);
    }

    /// <summary>The answer kept for an idempotency key, if its call ran and is not stored yet.</summary>
    public bool TryGetAnswer(string workspaceId, string keyId, string key, out StoredResponse? response) =>
        _answers.TryGetValue((workspaceId, keyId, key), out response);

    /// <summary>Forgets a kept commit: stored at last, or refused for good because another instance committed to the run first.</summary>
    public void Forget(LiveRun live, bool stored)
    {
        if (live.Pending?.Idempotency is { } answer)
        {
            _answers.TryRemove((answer.WorkspaceId, answer.KeyId, answer.IdempotencyKey), out _);
        }

        live.Pending = null;
        _runs.TryRemove(live, out _);
        if (stored)
        {
            LogStored(logger, live.Run.WorkspaceId, live.Run.Id);
        }
        else
        {
            LogLost(logger, live.Run.WorkspaceId, live.Run.Id);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "run {Workspace}/{Run}: a tool call ran but the store refused its record; kept in memory and retried until stored")]
    private static partial void LogKept(ILogger logger, string workspace, string run);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "run {Workspace}/{Run}: the record of a tool call that ran is now stored")]
    private static partial void LogStored(ILogger logger, string workspace, string run);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "run {Workspace}/{Run}: the record of a tool call that ran cannot be stored: another instance committed to the run first")]
    private static partial void LogLost(ILogger logger, string workspace, string run);
}
