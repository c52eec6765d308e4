using System.Text.Json;

namespace Keel.Sdk.Api;

/// <summary>An RFC 7807 problem document, as every error of the gateway API is answered (<c>application/problem+json</c>).</summary>
/// <param name="Type">A URI naming the problem kind, e.g. <c>urn:keel:problem:idempotency-key-reuse</c>; <c>about:blank</c> when unnamed.</param>
/// <param name="Title">A short summary of the kind.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong this time; <see langword="null"/> when not given.</param>
/// <param name="Errors">For a request with bad fields: each bad field's JSON path and what is wrong with it, as the server sent it; <see langword="null"/> otherwise.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ApiProblem(string? Type, string? Title, int? Status, string? Detail, JsonElement? Errors = null);
