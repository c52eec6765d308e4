using Microsoft.AspNetCore.Http;

namespace Keel.Server.Hosting;

/// <summary>RFC 7807 problem answers with Keel's problem types (<c>urn:keel:problem:&lt;name&gt;</c>).</summary>
internal static class Problems
{
    public static IResult Of(int status, string name, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: $"urn:keel:problem:{name}", extensions: extensions);

    public static IResult NotFound(string what, string id) => Of(404, "not-found", $"No such {what}", $"this workspace has no {what} '{id}'");

    public static IResult Forbidden(string detail) => Of(403, "forbidden", "Forbidden", detail);

    public static IResult Invalid(string path, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [path] = [message] }, detail: message, type: "urn:keel:problem:invalid-request", title: "The request is invalid");
}
