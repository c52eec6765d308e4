using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Server.Runs;
using Keel.Storage;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Idempotency;

/// <summary>Makes every <c>POST /v1/…</c> safe to retry: a request with an <c>Idempotency-Key</c> already answered gets the stored
/// answer again (header <c>Idempotent-Replayed: true</c>) and executes nothing; the same key with another body is 422; one
/// still running is 409. A tool call without the header is keyed by its run and call id.</summary>
/// <remarks>
/// <para>Only answers in 200–299 are stored: the request was handled by its endpoint and what it did — a run opened, a message
/// appended, a tool call decided (allow, deny, require_approval, … are all 200 answers whose decision is in the run's events),
/// an approval decided, a key created — is committed. Every other answer releases the key, so a corrected retry runs afresh:
/// a rejection of the request itself (400, 403, 404, 413, 415, 422) and "try again later" (409, 429) changed nothing, and on 5xx
/// or an exception nothing was committed (every write commits before its answer is written). A body Keel cannot read is
/// refused before a key is claimed (<see cref="Hosting.JsonBodyMiddleware"/>).</para>
/// <para>An unfinished claim (its process crashed) blocks retries for <see cref="KeelServerOptions.IdempotencyStaleAfter"/>,
/// the longest a request can legitimately take; after that a retry takes the claim over and runs. A claim this process could not
/// release (the store refused the delete, as a full disk does) is remembered, and the next retry with its key takes it over at
/// once: its request finished and nothing of it was committed, so the retry need not wait out the stale time.</para>
/// <para>The runs API stores its 2xx answer in the same transaction as its change (<see cref="IdempotencyScope"/>). When a
/// tool ran and its record could not be stored yet (<see cref="UnrecordedOutcomes"/>), the key stays bound to that outcome: a
/// retry gets it, never a second execution.</para>
/// </remarks>
internal sealed class IdempotencyMiddleware(RequestDelegate next, IIdempotencyStore store, KeelServerOptions options, UnrecordedOutcomes unrecorded)
{
    public const string Header = "Idempotency-Key";

    private readonly TimeSpan _staleAfter = options.IdempotencyStaleAfter;

    // Claims whose request finished without committing but whose release the store refused: the next claim of the key takes them over.
    private readonly ConcurrentDictionary<(string Workspace, string KeyId, string Key), byte> _unreleased = new();

    /// <summary>Whether an answer is stored as the key's result: a 2xx, the answer of a request its endpoint handled and committed.</summary>
    /// <param name="status">The HTTP status answered.</param>
    /// <returns>Whether to store it.</returns>
    public static bool IsStored(int status) => status is >= 200 and <= 299;

    /// <summary>The hash a claim records: lowercase hex SHA-256 of <c>METHOD path\n</c> and the body bytes.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path.</param>
    /// <param name="body">The body.</param>
    /// <returns>64 hex digits.</returns>
    public static string RequestHash(string method, string path, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(method + " " + path + "\n"), .. body]));

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var key = context.Request.Headers[Header].ToString();
        if (key.Length > 200 || key.Any(c => c is < ' ' or > '~'))
        {
            await Problems.Invalid("header:Idempotency-Key", "the Idempotency-Key header must be 1 to 200 printable ASCII characters").ExecuteAsync(context);
            return;
        }

        var isToolCall = context.Request.Path.Value!.EndsWith("/tool-calls", StringComparison.Ordinal);
        if (key.Length == 0 && !isToolCall)
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        context.Request.Body.Position = 0;
        var body = buffer.ToArray();
        if (key.Length == 0)
        {
            // The call id is unique within its run, so the default key is the run's path plus the call id.
            key = CallId(body) is { } id ? $"{context.Request.Path}#{id}" : string.Empty;
        }

        if (key.Length == 0)
        {
            await next(context);
            return;
        }

        var caller = Caller.Of(context);
        if (unrecorded.TryGetAnswer(caller.WorkspaceId, caller.Key.Id, key, out var kept))
        {
            // The call ran but its record is not stored yet: the retry gets the outcome, never a second execution.
            await WriteReplayAsync(context, kept!);
            return;
        }

        var hash = RequestHash(context.Request.Method, context.Request.Path.ToString(), body);
        var claimKey = (caller.WorkspaceId, caller.Key.Id, key);
        var takeOver = _unreleased.TryRemove(claimKey, out _);
        IdempotencyClaim claim;
        try
        {
            claim = await store.ClaimAsync(caller.WorkspaceId, caller.Key.Id, key, hash, takeOver ? TimeSpan.Zero : _staleAfter, context.RequestAborted);
        }
        catch when (takeOver)
        {
            _unreleased[claimKey] = 0;
            throw;
        }

        switch (claim.State)
        {
            case IdempotencyState.Replay:
                await WriteReplayAsync(context, claim.Response!);
                return;
            case IdempotencyState.Mismatch:
                await Problems.Of(422, "idempotency-key-reuse", "Idempotency key reused",
                    $"the Idempotency-Key '{key}' was used before with a different request; use a new key for a new request").ExecuteAsync(context);
                return;
            case IdempotencyState.InFlight:
                await Problems.Of(409, "idempotency-key-in-flight", "Request in progress",
                    $"a request with the Idempotency-Key '{key}' is still being handled; retry after it finishes").ExecuteAsync(context);
                return;
        }

        var scope = new IdempotencyScope(caller.WorkspaceId, caller.Key.Id, key);
        IdempotencyScope.Set(context, scope);
        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var completed = false;
        try
        {
            await next(context);
            if (scope.Completed)
            {
                // The endpoint stored its answer with its change, in one transaction.
                completed = true;
            }
            else if (IsStored(context.Response.StatusCode))
            {
                await store.CompleteAsync(caller.WorkspaceId, caller.Key.Id, key, new StoredResponse(context.Response.StatusCode, context.Response.ContentType, captured.ToArray()), CancellationToken.None);
                completed = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!completed)
            {
                try
                {
                    await store.ReleaseAsync(caller.WorkspaceId, caller.Key.Id, key, CancellationToken.None);
                }
                catch (StoreException)
                {
                    // Nothing of this request was committed and its answer stands; without this, a retry would be refused as in
                    // flight until the claim is stale.
                    _unreleased[claimKey] = 0;
                }
            }
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task WriteReplayAsync(HttpContext context, StoredResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private static string? CallId(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text ? text : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or an id that is not text: no default key; the endpoint answers the request.
            return null;
        }
    }
}
