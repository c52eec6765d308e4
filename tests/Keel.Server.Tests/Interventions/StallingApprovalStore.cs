using Keel.Approvals;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Keel.Server.Tests.Interventions;

/// <summary>The approval store with a stall after a stored decision: <see cref="DecideAsync"/> stores the decision, signals
/// <see cref="Decided"/>, then waits for <see cref="Resume"/> — the moment between the decision and its decider taking the run's lock,
/// opened wide so a test can put a reply in it.</summary>
internal sealed class StallingApprovalStore(IApprovalStore inner) : IApprovalStore
{
    /// <summary>Completed once a decision is stored.</summary>
    public TaskCompletionSource Decided { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Complete it to let the stored decision's request go on.</summary>
    public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Registers the stalling store around the configured one and returns it once the host is built.</summary>
    public static Action<WebApplicationBuilder> Around(Action<StallingApprovalStore> created) => builder =>
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(IApprovalStore));
        builder.Services.Replace(ServiceDescriptor.Singleton<IApprovalStore>(sp =>
        {
            var store = new StallingApprovalStore((IApprovalStore)original.ImplementationFactory!(sp));
            created(store);
            return store;
        }));
    };

    public async Task<(Approval? Approval, string? Error)> DecideAsync(string workspaceId, string approvalId, string by, bool approve, string? note, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var decided = await inner.DecideAsync(workspaceId, approvalId, by, approve, note, now, cancellationToken);
        Decided.TrySetResult();
        await Resume.Task.WaitAsync(cancellationToken);
        return decided;
    }

    public Task<(Approval Approval, bool Created)> RequestAsync(Approval approval, CancellationToken cancellationToken = default) => inner.RequestAsync(approval, cancellationToken);

    public Task<Approval?> FindPendingAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.FindPendingAsync(workspaceId, runId, digest, planDigest, now, cancellationToken);

    public Task<Approval?> GetAsync(string workspaceId, string approvalId, CancellationToken cancellationToken = default) => inner.GetAsync(workspaceId, approvalId, cancellationToken);

    public Task<IReadOnlyList<Approval>> ListAsync(string workspaceId, ApprovalStatus? status, int limit = 100, CancellationToken cancellationToken = default) =>
        inner.ListAsync(workspaceId, status, limit, cancellationToken);

    public Task<IReadOnlyList<Approval>> ListPendingForRunAsync(string workspaceId, string runId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.ListPendingForRunAsync(workspaceId, runId, now, cancellationToken);

    public Task<Approval?> TryConsumeAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.TryConsumeAsync(workspaceId, runId, digest, planDigest, now, cancellationToken);
}
