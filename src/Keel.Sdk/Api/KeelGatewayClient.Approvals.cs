using System.Net.Http.Json;

namespace Keel.Sdk.Api;

/// <summary>Approvals (operator) and keys (admin).</summary>
public sealed partial class KeelGatewayClient
{
    /// <summary><c>GET /v1/approvals?status=</c> (operator).</summary>
    /// <param name="status">Only approvals with this status (<c>pending</c>, <c>granted</c>, <c>denied</c>, <c>expired</c>, <c>used</c>).
    /// The default is <c>pending</c>; <see langword="null"/> lists all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The approvals.</returns>
    /// <exception cref="KeelApiException">The server answered an error status (403: not an operator key).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<ApiApproval>> ListApprovalsAsync(string? status = "pending", CancellationToken cancellationToken = default)
    {
        var path = status is null ? "v1/approvals" : $"v1/approvals?status={Uri.EscapeDataString(status)}";
        return (await SendAsync(HttpMethod.Get, path, null, null, KeelApiJsonContext.Default.ApprovalList, authenticate: true, cancellationToken).ConfigureAwait(false)).Approvals;
    }

    /// <summary><c>GET /v1/approvals/{approval_id}</c> (operator, or the agent of the run).</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The approval.</returns>
    /// <exception cref="ArgumentException"><paramref name="approvalId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status (403, 404).</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiApproval> GetApprovalAsync(string approvalId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"v1/approvals/{Segment(approvalId)}", null, null, KeelApiJsonContext.Default.ApiApproval, authenticate: true, cancellationToken);

    /// <summary><c>POST /v1/approvals/{approval_id}/approve</c> (operator): grants the held call; the agent then proposes it again and it runs once.</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry; <see langword="null"/> sends none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The approval after the decision.</returns>
    /// <exception cref="ArgumentException"><paramref name="approvalId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiApproval> ApproveAsync(string approvalId, string? note = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, "approve", note, idempotencyKey, cancellationToken);

    /// <summary><c>POST /v1/approvals/{approval_id}/deny</c> (operator): refuses the held call.</summary>
    /// <param name="approvalId">The approval.</param>
    /// <param name="note">Why; <see langword="null"/> for none.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry; <see langword="null"/> sends none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The approval after the decision.</returns>
    /// <exception cref="ArgumentException"><paramref name="approvalId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiApproval> DenyAsync(string approvalId, string? note = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        DecideAsync(approvalId, "deny", note, idempotencyKey, cancellationToken);

    /// <summary><c>POST /v1/keys</c> (admin): creates a key.</summary>
    /// <param name="request">Name, role and (for an agent key) agent.</param>
    /// <param name="idempotencyKey">Makes the request safe to retry; <see langword="null"/> sends none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The key, with its secret shown this once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public Task<ApiNewKey> CreateKeyAsync(CreateKeyRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(HttpMethod.Post, "v1/keys", JsonContent.Create(request, KeelApiJsonContext.Default.CreateKeyRequest), idempotencyKey,
            KeelApiJsonContext.Default.ApiNewKey, authenticate: true, cancellationToken);
    }

    /// <summary><c>GET /v1/keys</c> (admin): the workspace's keys, without secrets.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "v1/keys", null, null, KeelApiJsonContext.Default.KeyList, authenticate: true, cancellationToken).ConfigureAwait(false)).Keys;

    /// <summary><c>DELETE /v1/keys/{key_id}</c> (admin): revokes a key.</summary>
    /// <param name="keyId">The key id (not the secret).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when the server answered <c>204</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is empty.</exception>
    /// <exception cref="KeelApiException">The server answered an error status.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task RevokeKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, $"v1/keys/{Segment(keyId)}", null, null, authenticate: true, cancellationToken).ConfigureAwait(false);
    }

    private Task<ApiApproval> DecideAsync(string approvalId, string verb, string? note, string? idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"v1/approvals/{Segment(approvalId)}/{verb}", JsonContent.Create(new ApprovalNoteRequest(note), KeelApiJsonContext.Default.ApprovalNoteRequest),
            idempotencyKey, KeelApiJsonContext.Default.ApiApproval, authenticate: true, cancellationToken);
}
