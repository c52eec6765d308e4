using Keel.Approvals;
using Keel.Budgets;
using Keel.Tenancy;

namespace Keel.Storage;

/// <summary>Every storage port of the live gateway besides runs, as one backend implements them: approvals, workspace budgets,
/// workspaces, API keys, idempotency records, the access log, resource ownership, the version registry and the knowledge base.</summary>
/// <remarks>A backend implements this once (<c>SqliteGatewayStore</c>, <c>PostgresGatewayStore</c>); the composition root
/// (<c>services.AddKeel().UseSqlite(…)</c>) registers each port through <see cref="SealedGatewayStore"/>, so records are sealed
/// in Core before any backend sees them. The server depends on the single ports, never on this aggregate or a backend.</remarks>
public interface IGatewayStore : IApprovalStore, IBudgetLedger, IWorkspaceStore, IApiKeyStore, IIdempotencyStore, IAccessLog, IResourceOwners, IVersionRegistry, IKnowledgeStore;
