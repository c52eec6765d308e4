using System.Text.Json;

namespace Keel.Sdk.Api;

/// <summary>An approval: a person's yes or no on one exact held call (docs/gateway-api.md, "approval").</summary>
/// <param name="Id">The approval id.</param>
/// <param name="RunId">The run the call belongs to.</param>
/// <param name="CallId">The held call.</param>
/// <param name="Tool">The tool.</param>
/// <param name="Arguments">The call's arguments.</param>
/// <param name="Digest">The digest of tool + arguments; a changed call needs a new approval.</param>
/// <param name="Status"><c>pending</c>, <c>granted</c>, <c>denied</c>, <c>expired</c> or <c>used</c>.</param>
/// <param name="StagesRequired">How many people must approve.</param>
/// <param name="Stages">The decisions given so far, in order.</param>
/// <param name="Plan">The call's dry-run plan as the RFC 6902 patch it would apply (the server's <c>plan</c> array); <see langword="null"/> when none.</param>
/// <param name="PlanDigest">The <c>sha256:</c> digest of the plan's canonical patch, which the approval is bound to; <see langword="null"/> when none.</param>
/// <param name="RequestedAt">When the call was held.</param>
/// <param name="ExpiresAt">When the approval lapses.</param>
/// <param name="Reason">Why the call was held (the deciding rule's reason); <see langword="null"/> from a server that does not say.</param>
/// <param name="RuleId">The rule that held the call; <see langword="null"/> when none named itself.</param>
/// <remarks>Immutable and thread-safe. The one definition: the server's approvals API and a held call's outcome write it, the SDK reads it.</remarks>
public sealed record ApiApproval(string Id, string RunId, string CallId, string Tool, JsonElement Arguments, string? Digest, string Status,
    int StagesRequired, IReadOnlyList<ApiApprovalStage>? Stages, IReadOnlyList<ApiPatchOperation>? Plan, string? PlanDigest, DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt, string? Reason = null, string? RuleId = null);

/// <summary>One person's decision on an approval.</summary>
/// <param name="By">Who decided (the key's name).</param>
/// <param name="Decision"><c>approve</c> or <c>deny</c>.</param>
/// <param name="Note">Their note; <see langword="null"/> when none.</param>
/// <param name="At">When.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiApprovalStage(string By, string Decision, string? Note, DateTimeOffset At);

/// <summary>The body of <c>POST /v1/approvals/{approval_id}/approve</c> and <c>/deny</c>.</summary>
/// <param name="Note">Why, recorded with the decision; <see langword="null"/> for none.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApprovalNoteRequest(string? Note);

/// <summary><c>{"approvals": [...]}</c>.</summary>
/// <param name="Approvals">The approvals.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApprovalList(IReadOnlyList<ApiApproval> Approvals);

/// <summary>The body of <c>POST /v1/keys</c>.</summary>
/// <param name="Name">A name for the key, 1 to 200 characters (required: the server answers 400 naming <c>$.name</c> without it).</param>
/// <param name="Role"><c>agent</c>, <c>operator</c>, <c>admin</c> or <c>platform_admin</c> (required: 400 naming <c>$.role</c> otherwise).</param>
/// <param name="Agent">The agent an <c>agent</c> key belongs to; <see langword="null"/> for other roles.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CreateKeyRequest(string Name, string Role, string? Agent = null);

/// <summary>A key just created; <see cref="Key"/> is shown only this once.</summary>
/// <param name="Id">The key id.</param>
/// <param name="Key">The secret key, <c>keel_&lt;key id&gt;_&lt;secret&gt;</c>.</param>
/// <param name="Name">The key's name.</param>
/// <param name="Role">Its role.</param>
/// <param name="Agent">Its agent, for an agent key.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiNewKey(string Id, string Key, string Name, string Role, string? Agent);

/// <summary>A key as <c>GET /v1/keys</c> lists it (never the secret).</summary>
/// <param name="Id">The key id.</param>
/// <param name="Name">The key's name.</param>
/// <param name="Role">Its role.</param>
/// <param name="Agent">Its agent, for an agent key.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked; <see langword="null"/> while valid.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiKey(string Id, string Name, string Role, string? Agent, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary><c>{"keys": [...]}</c>.</summary>
/// <param name="Keys">The keys.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record KeyList(IReadOnlyList<ApiKey> Keys);
