using Keel.Sdk.Api;

namespace Keel.Sdk.InProcess;

/// <summary>The in-process gateway refuses with the problems <c>keel serve</c> answers (<c>urn:keel:problem:&lt;name&gt;</c>), thrown as
/// <see cref="KeelApiException"/>, so the SDK acts on a refusal the same way in both modes.</summary>
internal static class Problems
{
    public static KeelApiException Of(int status, string name, string title, string detail) =>
        new(new ApiProblem($"urn:keel:problem:{name}", title, status, detail));

    public static KeelApiException Invalid(string path, string message) =>
        Of(400, "invalid-request", "The request is invalid", $"{path}: {message}");

    public static KeelApiException NoRun(string runId) => Of(404, "not-found", "Not found", $"no run '{runId}' in this workspace");
}
