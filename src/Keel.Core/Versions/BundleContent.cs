using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Keel.Bundles;
using Keel.Model;

namespace Keel.Versions;

/// <summary>One file of a bundle as stored in the version registry.</summary>
/// <param name="Path">The path relative to the bundle folder, <c>/</c>-separated, e.g. <c>policies.yaml</c>.</param>
/// <param name="Bytes">The file's bytes, unchanged.</param>
public sealed record BundleFile(string Path, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The <c>sha256:</c> hash of the bytes alone: the key under which the registry stores them (content-addressed).</summary>
    public string Sha256 => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Bytes.Span));
}

/// <summary>The content of an agent version: every file the bundle loader reads (<see cref="AgentVersion.Files"/>), and the
/// version's content hash over them. Two bundles with the same files byte for byte have the same hash wherever they lie.</summary>
/// <remarks>
/// <para>The hash is SHA-256 (FIPS 180-4), written <c>sha256:</c> and 64 lower-case hex digits, over the tag
/// <c>keel.version.v1</c> and then, for every file in ordinal order of its relative path: the path's UTF-8 byte count (4 bytes,
/// big-endian), the path's UTF-8 bytes, the content's byte count (8 bytes, big-endian) and the content. The prompt, the model,
/// budgets, loop guard, handoff and execution settings (<c>agent.yaml</c>), the tool catalog with its schemas and schema versions
/// (<c>tools.json</c>), the policies (<c>policies.yaml</c>, and the document their <c>source:</c> names) and the escalation rules
/// (<c>escalation.yaml</c>) are therefore all covered; any other file of the folder is not (docs/versions.md).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class BundleContent
{
    private const string Tag = "keel.version.v1";

    /// <summary>Creates the content from files.</summary>
    /// <param name="files">The files; their paths must be distinct, relative and inside the bundle (no <c>..</c> segment).</param>
    /// <exception cref="ArgumentException">A path is empty, absolute, leaves the bundle or appears twice.</exception>
    public BundleContent(IEnumerable<BundleFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Files = [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)];
        for (var i = 0; i < Files.Count; i++)
        {
            var path = Files[i].Path;
            if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || System.IO.Path.IsPathRooted(path)
                || path.Split('/').Any(segment => segment is "" or "." or ".."))
            {
                throw new ArgumentException($"bundle file '{path}' is not a relative path inside the bundle folder; keep every file the bundle names in its folder", nameof(files));
            }

            if (i > 0 && Files[i - 1].Path == path)
            {
                throw new ArgumentException($"bundle file '{path}' appears twice", nameof(files));
            }
        }

        Hash = ComputeHash(Files);
    }

    /// <summary>The files, in ordinal order of their paths.</summary>
    public IReadOnlyList<BundleFile> Files { get; }

    /// <summary>The version's content hash, <c>sha256:</c> and 64 lower-case hex digits.</summary>
    public string Hash { get; }

    /// <summary>The text of a file (UTF-8), or <see langword="null"/> when the bundle has no such file.</summary>
    /// <param name="path">The relative path.</param>
    /// <returns>The text.</returns>
    public string? Text(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        // Paths as agent.yaml writes them ("./prompt.md", "sub\\x.md") name the same stored file.
        var normalized = string.Join('/', path.Replace('\\', '/').Split('/').Where(segment => segment is not ("" or ".")));
        return Files.FirstOrDefault(f => f.Path == normalized) is { } file ? Encoding.UTF8.GetString(file.Bytes.Span) : null;
    }

    /// <summary>Loads a bundle folder (<see cref="AgentBundleLoader.Load"/>, so it must be valid) and reads the files the loader read.</summary>
    /// <param name="folder">The bundle folder or its <c>agent.yaml</c>.</param>
    /// <param name="options">The C# policies <c>kind: custom</c> rules may name (<see cref="Composition.KeelComponents.PolicyOptions"/>);
    /// <see langword="null"/> for none.</param>
    /// <returns>The loaded version and its content.</returns>
    /// <exception cref="BundleLoadException">The bundle does not load, or it names a file outside its folder; the message says which.</exception>
    public static (AgentVersion Agent, BundleContent Content) Read(string folder, Policies.PolicyLoadOptions? options = null)
    {
        var agent = AgentBundleLoader.Load(folder, options);
        var manifest = File.Exists(folder) ? folder : System.IO.Path.Combine(folder, "agent.yaml");
        var root = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(manifest))!;
        if (agent.Files.FirstOrDefault(f => f.StartsWith("../", StringComparison.Ordinal)) is { } outside)
        {
            throw new BundleLoadException(manifest, 0, 0, $"the bundle reads '{outside}', outside its folder; a registered version holds only files inside the bundle folder, so copy it in");
        }

        return (agent, new BundleContent(agent.Files.Select(f => new BundleFile(f, File.ReadAllBytes(System.IO.Path.Combine(root, f))))));
    }

    /// <summary>Loads the version these files describe, as <c>keel serve --agent</c> would load the folder: the files are written
    /// to a fresh temporary folder, loaded and the folder is deleted.</summary>
    /// <param name="options">The C# policies <c>kind: custom</c> rules may name (<see cref="Composition.KeelComponents.PolicyOptions"/>);
    /// <see langword="null"/> for none.</param>
    /// <returns>The loaded version.</returns>
    /// <exception cref="BundleLoadException">The files do not make a valid bundle; file names in the message are those of the temporary folder's files.</exception>
    public AgentVersion Load(Policies.PolicyLoadOptions? options = null)
    {
        var folder = Directory.CreateTempSubdirectory("keel-version-").FullName;
        try
        {
            foreach (var file in Files)
            {
                var path = System.IO.Path.Combine(folder, file.Path);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Bytes.ToArray());
            }

            return AgentBundleLoader.Load(folder, options);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string ComputeHash(IReadOnlyList<BundleFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        hash.AppendData(Encoding.UTF8.GetBytes(Tag));
        foreach (var file in files)
        {
            var path = Encoding.UTF8.GetBytes(file.Path);
            BinaryPrimitives.WriteInt32BigEndian(length, path.Length);
            hash.AppendData(length[..4]);
            hash.AppendData(path);
            BinaryPrimitives.WriteInt64BigEndian(length, file.Bytes.Length);
            hash.AppendData(length);
            hash.AppendData(file.Bytes.Span);
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
