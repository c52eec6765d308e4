using Keel.Bundles;
using Keel.Composition;
using Keel.Model;
using Keel.Server.Access;
using Keel.Server.Hosting;
using Keel.Storage;
using Keel.Versions;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Versions;

/// <summary>A bundle's files sent to <c>POST /v1/agents/{agent}/versions</c>.</summary>
/// <param name="Files">Every file the bundle reads (<c>agent.yaml</c>, the prompt, <c>tools.json</c>, <c>policies.yaml</c>, the cited
/// document, <c>escalation.yaml</c>); files the loader does not read are left out of the version, as <c>keel version register</c>
/// leaves them out.</param>
/// <param name="Note">The registration note, or null.</param>
public sealed record RegisterVersionRequest(IReadOnlyList<BundleFileDto>? Files, string? Note = null);

/// <summary>One file of a bundle: its path relative to the bundle folder (<c>/</c>-separated) and its content, as UTF-8 text
/// (<see cref="Content"/>) or as base64 (<see cref="ContentBase64"/>), one of the two.</summary>
/// <param name="Path">E.g. <c>policies.yaml</c>.</param>
/// <param name="Content">The file as text (UTF-8); null when <see cref="ContentBase64"/> is given.</param>
/// <param name="ContentBase64">The file's bytes in base64; null when <see cref="Content"/> is given.</param>
public sealed record BundleFileDto(string? Path, string? Content = null, string? ContentBase64 = null);

/// <summary>The answer of a registration: the version, and whether it was new (<c>201</c>) or already registered (<c>200</c>,
/// nothing changed: a version is immutable).</summary>
/// <param name="Created">Whether this request registered it.</param>
/// <param name="Version">The version (a draft when new).</param>
/// <param name="Files">The paths the version holds.</param>
public sealed record VersionRegisteredDto(bool Created, VersionDto Version, IReadOnlyList<string> Files);

/// <summary>Registers a version from uploaded files: the same checks and hash as <c>keel version register &lt;folder&gt;</c> — the files
/// must load as a bundle (with the server's C# policies, <see cref="KeelComponents"/>) of the agent the URL names — and a
/// <c>register</c> entry in the history with the caller's key id as the actor.</summary>
internal static class VersionRegistration
{
    public static async Task<IResult> RegisterAsync(string agent, RegisterVersionRequest request, HttpContext http, IVersionRegistry registry, KeelComponents components)
    {
        if (request.Files is not { Count: > 0 } uploaded)
        {
            return Problems.Invalid("$.files", "give the bundle's files: [{\"path\": \"agent.yaml\", \"content\": \"…\"}, …] (docs/versions.md, \"API\")");
        }

        var files = new List<BundleFile>();
        for (var i = 0; i < uploaded.Count; i++)
        {
            var (file, error) = Read(uploaded[i]);
            if (error is not null)
            {
                return Problems.Invalid($"$.files[{i}]", error);
            }

            files.Add(file!);
        }

        BundleContent sent;
        AgentVersion loaded;
        try
        {
            sent = new BundleContent(files);
            loaded = sent.Load(components.PolicyOptions());
        }
        catch (ArgumentException ex)
        {
            return Problems.Invalid("$.files", ex.Message.Split(" (Parameter", 2)[0]);
        }
        catch (BundleLoadException ex)
        {
            return Problems.Invalid("$.files", "the files do not load as a bundle (file names below are those of a temporary folder): " + ex.Message);
        }

        if (loaded.AgentName != agent)
        {
            return Problems.Invalid("$.files", $"the bundle is agent '{loaded.AgentName}' (name: in agent.yaml), not '{agent}'");
        }

        // The version is what the loader read, as `keel version register` hashes it: a README sent along changes nothing.
        var read = loaded.Files.ToHashSet(StringComparer.Ordinal);
        var content = new BundleContent(sent.Files.Where(f => read.Contains(f.Path)));
        var caller = Caller.Of(http);
        var (record, created) = await registry.RegisterVersionAsync(caller.WorkspaceId, loaded, content, caller.Key.Id, request.Note, http.RequestAborted);
        var answer = new VersionRegisteredDto(created, VersionDto.From(record), [.. content.Files.Select(f => f.Path)]);
        return created
            ? TypedResults.Created($"/v1/agents/{Uri.EscapeDataString(agent)}/versions/{record.Hash}", answer)
            : TypedResults.Ok(answer);
    }

    private static (BundleFile? File, string? Error) Read(BundleFileDto file)
    {
        if (string.IsNullOrEmpty(file.Path))
        {
            return (null, "path is required: the file's path relative to the bundle folder, e.g. policies.yaml");
        }

        if ((file.Content is null) == (file.ContentBase64 is null))
        {
            return (null, $"give '{file.Path}' as content (text) or content_base64, one of the two");
        }

        if (file.Content is { } text)
        {
            return (new BundleFile(file.Path, System.Text.Encoding.UTF8.GetBytes(text)), null);
        }

        var bytes = new byte[(file.ContentBase64!.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(file.ContentBase64, bytes, out var written)
            ? (new BundleFile(file.Path, bytes.AsMemory(0, written)), null)
            : (null, $"content_base64 of '{file.Path}' is not base64");
    }
}
