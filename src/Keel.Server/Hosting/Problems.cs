using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keel.Server.Hosting;

/// <summary>RFC 7807 problem answers with Keel's problem types (<c>urn:keel:problem:&lt;name&gt;</c>).</summary>
internal static class Problems
{
    /// <summary>The prefix of every Keel problem type.</summary>
    public const string TypePrefix = "urn:keel:problem:";

    public static IResult Of(int status, string name, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Typed(status, name, title, detail, extensions);

    /// <summary>The same problem as <see cref="Of"/>, typed for endpoints that declare their answers (<c>Results&lt;…&gt;</c>).</summary>
    public static ProblemHttpResult Typed(int status, string name, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + name, extensions: extensions);

    public static IResult NotFound(string what, string id) => Of(404, "not-found", $"No such {what}", $"this workspace has no {what} '{id}'");

    public static IResult Forbidden(string detail) => Of(403, "forbidden", "Forbidden", detail);

    /// <summary>A request that is well-formed but invalid: 400 <c>invalid-request</c>, <c>errors</c> naming the field
    /// (<c>$.field</c> for the body, <c>query:name</c>, <c>header:Name</c>).</summary>
    public static IResult Invalid(string path, string message) => InvalidField(path, message);

    /// <summary>The same answer as <see cref="Invalid"/>, typed for endpoints that declare their answers.</summary>
    public static ValidationProblem InvalidField(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] }, detail: $"{path}: {message}", type: TypePrefix + "invalid-request", title: "The request is invalid");

    /// <summary>A body that cannot be read as this endpoint's JSON (syntax, escapes, nesting, a type or range the field cannot
    /// hold): 400 <c>malformed-request</c>, <c>errors</c> naming the JSON path.</summary>
    public static IResult Malformed(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] }, detail: $"{path}: {message}", type: TypePrefix + "malformed-request", title: "Malformed request");

    /// <summary>The Keel problem name and a detail for an answer the framework produced with no body of its own (an unknown
    /// route, a method the route does not have), by status.</summary>
    public static (string Name, string Detail) ForStatus(int status, HttpContext context) => status switch
    {
        400 => ("malformed-request", "the request could not be read"),
        401 => ("unauthenticated", "send 'Authorization: Bearer <key>' with a Keel API key"),
        403 => ("forbidden", "this key may not do this"),
        404 => ("not-found", $"no endpoint answers {context.Request.Method} {context.Request.Path}; see /openapi/v1.json"),
        405 => ("method-not-allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}; see /openapi/v1.json"),
        413 => ("payload-too-large", "the body is too large"),
        415 => ("unsupported-media-type", "send the body as application/json (UTF-8)"),
        >= 500 => ("internal-error", "the server failed; the log has the details"),
        _ => ($"http-{status}", $"the request was answered {status}"),
    };
}
