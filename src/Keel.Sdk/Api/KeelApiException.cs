using System.Net;

namespace Keel.Sdk.Api;

/// <summary>The gateway API answered with an error status; <see cref="Problem"/> holds its RFC 7807 problem document.</summary>
/// <remarks>The message is <c>&lt;title&gt; (HTTP &lt;status&gt;): &lt;detail&gt;</c>, taken from the server's problem document; the
/// server writes those for clients and they carry no secrets. When the server answered without a problem document (a proxy's
/// error page), <see cref="Problem"/> is made up from the status code and says so.</remarks>
public sealed class KeelApiException : Exception
{
    /// <summary>Creates an exception with a made-up 500 problem.</summary>
    public KeelApiException()
        : this(new ApiProblem("about:blank", "Internal Server Error", 500, null))
    {
    }

    /// <summary>Creates an exception with a made-up 500 problem.</summary>
    /// <param name="message">The problem's detail.</param>
    public KeelApiException(string message)
        : this(new ApiProblem("about:blank", "Internal Server Error", 500, message))
    {
    }

    /// <summary>Creates an exception with a made-up 500 problem.</summary>
    /// <param name="message">The problem's detail.</param>
    /// <param name="innerException">The cause.</param>
    public KeelApiException(string message, Exception? innerException)
        : this(new ApiProblem("about:blank", "Internal Server Error", 500, message), innerException)
    {
    }

    /// <summary>Creates an exception for a problem document.</summary>
    /// <param name="problem">The server's problem document.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="problem"/> is <see langword="null"/>.</exception>
    public KeelApiException(ApiProblem problem, Exception? innerException = null)
        : base(Describe(problem ?? throw new ArgumentNullException(nameof(problem))), innerException)
    {
        Problem = problem;
    }

    /// <summary>The server's problem document.</summary>
    public ApiProblem Problem { get; }

    /// <summary>The HTTP status code (<see cref="ApiProblem.Status"/>; 500 when the document has none).</summary>
    public HttpStatusCode StatusCode => (HttpStatusCode)(Problem.Status ?? 500);

    /// <summary>Whether the key was refused: 401 (missing, unknown or revoked key) or 403 (the key's role or workspace may not do this).</summary>
    public bool IsKeyRefused => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    private static string Describe(ApiProblem problem)
    {
        var title = string.IsNullOrWhiteSpace(problem.Title) ? "Request failed" : problem.Title;
        return string.IsNullOrWhiteSpace(problem.Detail) ? $"{title} (HTTP {problem.Status ?? 500})" : $"{title} (HTTP {problem.Status ?? 500}): {problem.Detail}";
    }
}
