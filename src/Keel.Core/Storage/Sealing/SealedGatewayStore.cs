using Keel.Approvals;
using Keel.Budgets;
using Keel.Knowledge;
using Keel.Model;
using Keel.Tenancy;
using Keel.Versions;

namespace Keel.Storage;

/// <summary>The gateway's storage ports over a backend, with every record sealed (<see cref="RecordSealer"/>) before the backend
/// stores it: approvals, idempotency responses and access-log entries reach any backend redacted; knowledge documents pass unredacted
/// (operator-written content, not customer data).</summary>
/// <remarks>Thread-safe when the backend is. Reads pass through unchanged (what is stored is already sealed).</remarks>
/// <param name="inner">The backend.</param>
/// <param name="sealer">The sealer.</param>
public sealed class SealedGatewayStore(IGatewayStore inner, RecordSealer sealer) : IGatewayStore
{
    /// <summary>The backend behind the sealing.</summary>
    public IGatewayStore Inner => inner;

    /// <inheritdoc />
    public Task<(Approval Approval, bool Created)> RequestAsync(Approval approval, CancellationToken cancellationToken = default) =>
        inner.RequestAsync(sealer.Seal(approval), cancellationToken);

    /// <inheritdoc />
    public Task<Approval?> FindPendingAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.FindPendingAsync(workspaceId, runId, digest, planDigest, now, cancellationToken);

    /// <inheritdoc />
    public Task<Approval?> GetAsync(string workspaceId, string approvalId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(workspaceId, approvalId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Approval>> ListAsync(string workspaceId, ApprovalStatus? status, int limit = 100, CancellationToken cancellationToken = default) =>
        inner.ListAsync(workspaceId, status, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Approval>> ListPendingForRunAsync(string workspaceId, string runId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.ListPendingForRunAsync(workspaceId, runId, now, cancellationToken);

    /// <inheritdoc />
    public Task<(Approval? Approval, string? Error)> DecideAsync(string workspaceId, string approvalId, string by, bool approve, string? note, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.DecideAsync(workspaceId, approvalId, by, approve, RedactNote(note), now, cancellationToken);

    /// <inheritdoc />
    public Task<Approval?> TryConsumeAsync(string workspaceId, string runId, string digest, string? planDigest, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.TryConsumeAsync(workspaceId, runId, digest, planDigest, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<BudgetReservation> TryReserveAsync(string workspaceId, BudgetUse use, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.TryReserveAsync(workspaceId, use, now, cancellationToken);

    /// <inheritdoc />
    public Task<BudgetUse?> GetWindowUseAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.GetWindowUseAsync(workspaceId, now, cancellationToken);

    /// <inheritdoc />
    public Task<string?> CreateWorkspaceAsync(Workspace workspace, KeelRole adminRole, CancellationToken cancellationToken = default) =>
        inner.CreateWorkspaceAsync(workspace, adminRole, cancellationToken);

    /// <inheritdoc />
    public Task<bool> WorkspaceExistsAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        inner.WorkspaceExistsAsync(workspaceId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkspaceRecord>> ListWorkspacesAsync(CancellationToken cancellationToken = default) =>
        inner.ListWorkspacesAsync(cancellationToken);

    /// <inheritdoc />
    public Task SetWorkspaceBudgetAsync(string workspaceId, WorkspaceBudget? budget, CancellationToken cancellationToken = default) =>
        inner.SetWorkspaceBudgetAsync(workspaceId, budget, cancellationToken);

    /// <inheritdoc />
    public Task<WorkspaceBudget?> GetWorkspaceBudgetAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        inner.GetWorkspaceBudgetAsync(workspaceId, cancellationToken);

    /// <inheritdoc />
    public Task<(ApiKey Record, string Key)> CreateKeyAsync(string workspaceId, string name, KeelRole role, string? agent, CancellationToken cancellationToken = default) =>
        inner.CreateKeyAsync(workspaceId, name, role, agent, cancellationToken);

    /// <inheritdoc />
    public Task<ApiKey?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken = default) =>
        inner.AuthenticateAsync(presentedKey, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        inner.ListKeysAsync(workspaceId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeKeyAsync(string workspaceId, string keyId, CancellationToken cancellationToken = default) =>
        inner.RevokeKeyAsync(workspaceId, keyId, cancellationToken);

    /// <inheritdoc />
    public Task<IdempotencyClaim> ClaimAsync(string workspaceId, string keyId, string idempotencyKey, string requestSha256, TimeSpan staleAfter, CancellationToken cancellationToken = default) =>
        inner.ClaimAsync(workspaceId, keyId, idempotencyKey, requestSha256, staleAfter, cancellationToken);

    /// <inheritdoc />
    public Task CompleteAsync(string workspaceId, string keyId, string idempotencyKey, StoredResponse response, CancellationToken cancellationToken = default) =>
        inner.CompleteAsync(workspaceId, keyId, idempotencyKey, sealer.SealResponseBody(response), cancellationToken);

    /// <inheritdoc />
    public Task ReleaseAsync(string workspaceId, string keyId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        inner.ReleaseAsync(workspaceId, keyId, idempotencyKey, cancellationToken);

    /// <inheritdoc />
    public Task LogAccessAsync(AccessLogEntry entry, CancellationToken cancellationToken = default) =>
        inner.LogAccessAsync(sealer.Seal(entry), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AccessLogEntry>> ListAccessLogAsync(string workspaceId, int limit = 100, CancellationToken cancellationToken = default) =>
        inner.ListAccessLogAsync(workspaceId, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> OwnersOfAsync(ResourceKind kind, string id, CancellationToken cancellationToken = default) =>
        inner.OwnersOfAsync(kind, id, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Bundle files are configuration, stored byte for byte (their hash must hold); the note is redacted before the history
    /// entry is hashed.</remarks>
    public Task<(VersionRecord Record, bool Created)> RegisterVersionAsync(string workspaceId, AgentVersion agent, BundleContent content, string actor, string? note, CancellationToken cancellationToken = default) =>
        inner.RegisterVersionAsync(workspaceId, agent, content, actor, RedactNote(note), cancellationToken);

    /// <inheritdoc />
    public Task<VersionRecord?> GetVersionAsync(string workspaceId, string hash, CancellationToken cancellationToken = default) =>
        inner.GetVersionAsync(workspaceId, hash, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<VersionRecord>> ListVersionsAsync(string workspaceId, string? agent, CancellationToken cancellationToken = default) =>
        inner.ListVersionsAsync(workspaceId, agent, cancellationToken);

    /// <inheritdoc />
    public Task<BundleContent?> GetVersionContentAsync(string workspaceId, string hash, CancellationToken cancellationToken = default) =>
        inner.GetVersionContentAsync(workspaceId, hash, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The action's note is redacted before the history entry is hashed.</remarks>
    public Task<VersionOutcome> ApplyVersionActionAsync(string workspaceId, VersionAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return inner.ApplyVersionActionAsync(workspaceId, action with { Note = RedactNote(action.Note) }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VersionEvent>> ListVersionHistoryAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        inner.ListVersionHistoryAsync(workspaceId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Not redacted: knowledge documents are operator-written content (policies, help articles), not customer data, and
    /// retrieval must return them word for word (docs/grounding.md).</remarks>
    public Task<(StoredKnowledgeDocument Document, bool Created)> PutKnowledgeDocumentAsync(string workspaceId, KnowledgeDocument document, string embeddingModel, IReadOnlyList<StoredPassage> passages, string actor, CancellationToken cancellationToken = default) =>
        inner.PutKnowledgeDocumentAsync(workspaceId, document, embeddingModel, passages, actor, cancellationToken);

    /// <inheritdoc />
    public Task<StoredKnowledgeDocument?> GetKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        inner.GetKnowledgeDocumentAsync(workspaceId, documentId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteKnowledgeDocumentAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        inner.DeleteKnowledgeDocumentAsync(workspaceId, documentId, cancellationToken);

    /// <inheritdoc />
    public Task<(IReadOnlyList<StoredKnowledgeDocument> Documents, long Version)> ListKnowledgeDocumentsAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        inner.ListKnowledgeDocumentsAsync(workspaceId, cancellationToken);

    /// <inheritdoc />
    public Task<long> GetKnowledgeVersionAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        inner.GetKnowledgeVersionAsync(workspaceId, cancellationToken);

    private string? RedactNote(string? note) => note is null || sealer.Redactor is null ? note : sealer.Redactor.Redact(note);
}
