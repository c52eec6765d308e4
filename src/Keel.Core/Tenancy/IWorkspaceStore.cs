using Keel.Budgets;
using Keel.Model;

namespace Keel.Tenancy;

/// <summary>Storage port for workspaces (tenants) and their budget settings.</summary>
/// <remarks>Implementations are thread-safe and, for a shared database, safe across processes.</remarks>
public interface IWorkspaceStore
{
    /// <summary>Creates a workspace with a first key named <c>admin</c>, unless it exists; both in one transaction.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="adminRole">The first key's role: <see cref="KeelRole.Admin"/>, or <see cref="KeelRole.PlatformAdmin"/> for the
    /// bootstrap workspace (<see cref="WorkspaceStoreExtensions.CreateWorkspaceAsync"/> passes <see cref="KeelRole.Admin"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The first key's text (shown once, only its SHA-256 is stored), or <see langword="null"/> when the workspace
    /// already existed (nothing changed).</returns>
    /// <exception cref="ArgumentException"><paramref name="adminRole"/> is neither admin nor platform admin.</exception>
    /// <exception cref="Storage.StoreException">The write failed.</exception>
    Task<string?> CreateWorkspaceAsync(Workspace workspace, KeelRole adminRole, CancellationToken cancellationToken = default);

    /// <summary>Whether the workspace exists.</summary>
    /// <param name="workspaceId">The workspace id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Whether it exists.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<bool> WorkspaceExistsAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Lists every workspace, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The workspaces with their creation time (UTC).</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with <see langword="null"/>, removes) the workspace's budget per window.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="budget">The budget.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="ArgumentException">The window is shorter than one second.</exception>
    /// <exception cref="Storage.StoreException">The write failed.</exception>
    Task SetWorkspaceBudgetAsync(string workspaceId, WorkspaceBudget? budget, CancellationToken cancellationToken = default);

    /// <summary>Reads the workspace's budget.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The budget, or <see langword="null"/> when none is set.</returns>
    /// <exception cref="Storage.StoreException">The read failed.</exception>
    Task<WorkspaceBudget?> GetWorkspaceBudgetAsync(string workspaceId, CancellationToken cancellationToken = default);
}

/// <summary>A stored workspace.</summary>
/// <param name="Id">The workspace id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record WorkspaceRecord(string Id, string Name, DateTimeOffset CreatedAt);
