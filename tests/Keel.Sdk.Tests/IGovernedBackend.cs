using Keel.Sdk.Api;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Keel.Sdk.Tests;

/// <summary>One of the SDK's two modes, for the behaviour tests that run against both: a remote <c>keel serve</c>
/// (<see cref="KeelServerFixture"/>) or the in-process gateway (<see cref="InProcessFixture"/>), each governing the refund-desk
/// agent over a SQLite file; plus what the tests read back (events, approvals, the workspace budget's tokens).</summary>
public interface IGovernedBackend
{
    ChatClientBuilder UseKeel(ChatClientBuilder builder, Action<KeelOptions> configure);

    AIAgentBuilder UseKeel(AIAgentBuilder builder, Action<KeelOptions> configure);

    Task<IReadOnlyList<ApiEvent>> ListEventsAsync(string runId);

    Task<ApiApproval> ApproveAsync(string approvalId, string note);

    Task<ApiApproval> GetApprovalAsync(string approvalId);

    Task<ApiRun> GetRunAsync(string runId);

    Task<long> UsedTokensAsync();
}
