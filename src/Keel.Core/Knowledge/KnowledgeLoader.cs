using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Knowledge;

/// <summary>A file the loader skipped, with where and why.</summary>
/// <param name="File">The file's path as found.</param>
/// <param name="Line">1-based line of the problem in the file.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record KnowledgeLoadError(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>What a load found: the documents and the skipped files.</summary>
/// <param name="Documents">The documents read, in ordinal order of their paths.</param>
/// <param name="Errors">The files skipped, one error each.</param>
public sealed record KnowledgeLoadResult(IReadOnlyList<KnowledgeDocument> Documents, IReadOnlyList<KnowledgeLoadError> Errors);

/// <summary>Loads knowledge-base documents from Markdown (<c>.md</c>) and text (<c>.txt</c>) files with optional YAML front matter.</summary>
/// <remarks>
/// <para>Front matter is a YAML mapping between a first line <c>---</c> and the next line <c>---</c> (or <c>...</c>). Keys:
/// <c>groups</c> (a list of group names, or one name: who may read the document; absent or empty means
/// <see cref="KnowledgeGroups.Everyone"/>) and <c>id</c> (the document id; the default is the path relative to the loaded folder,
/// with <c>/</c> separators). Any other key is an error, so a misspelt <c>group:</c> cannot silently make a document public.</para>
/// <para>A file with a broken front matter is skipped and reported with its file and line; the other files load. Files are read
/// as UTF-8. Pure code apart from the file reads; thread-safe.</para>
/// </remarks>
public static class KnowledgeLoader
{
    /// <summary>Loads every <c>.md</c> and <c>.txt</c> file under a folder (recursively), or one file.</summary>
    /// <param name="path">A folder or a file.</param>
    /// <returns>The documents and the skipped files.</returns>
    /// <exception cref="FileNotFoundException">Neither a folder nor a file exists at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static KnowledgeLoadResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string root;
        IEnumerable<string> files;
        if (Directory.Exists(path))
        {
            root = path;
            files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
        }
        else if (File.Exists(path))
        {
            root = Path.GetDirectoryName(Path.GetFullPath(path))!;
            files = [path];
        }
        else
        {
            throw new FileNotFoundException($"No knowledge folder or file at '{path}'.", path);
        }

        var documents = new List<KnowledgeDocument>();
        var errors = new List<KnowledgeLoadError>();
        foreach (var file in files)
        {
            var defaultId = Path.GetRelativePath(root, Path.GetFullPath(file)).Replace('\\', '/');
            var parsed = Parse(File.ReadAllText(file, Encoding.UTF8), file, defaultId);
            if (parsed.Document is { } document)
            {
                documents.Add(document);
            }
            else
            {
                errors.Add(parsed.Error!);
            }
        }

        return new KnowledgeLoadResult(documents, errors);
    }

    /// <summary>Reads one document's text with its front matter.</summary>
    /// <param name="content">The file's content.</param>
    /// <param name="file">The file name used in errors.</param>
    /// <param name="defaultId">The document id when the front matter names none.</param>
    /// <returns>The document, or the error that skips it.</returns>
    public static (KnowledgeDocument? Document, KnowledgeLoadError? Error) Parse(string content, string file, string defaultId)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = content.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            return (new KnowledgeDocument(defaultId, content, []), null);
        }

        var end = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
        if (end < 0)
        {
            return (null, new KnowledgeLoadError(file, 1, "front matter opened with '---' is never closed: add a line '---' after it"));
        }

        var yaml = string.Join('\n', lines[1..end]);
        var body = string.Join('\n', lines[(end + 1)..]);
        try
        {
            return ReadFrontMatter(yaml, file, defaultId, body);
        }
        catch (YamlException e)
        {
            return (null, new KnowledgeLoadError(file, 1 + (int)e.Start.Line, $"front matter is not valid YAML: {e.Message}"));
        }
    }

    private static (KnowledgeDocument?, KnowledgeLoadError?) ReadFrontMatter(string yaml, string file, string defaultId, string body)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return (new KnowledgeDocument(defaultId, body, []), null);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            return (null, Error(file, stream.Documents[0].RootNode, "front matter must be a mapping such as 'groups: [support, billing]'"));
        }

        var id = defaultId;
        var groups = new List<string>();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            switch (key)
            {
                case "id" when value is YamlScalarNode { Value: { Length: > 0 } text }:
                    id = text.Trim();
                    break;
                case "id":
                    return (null, Error(file, value, "'id' must be a non-empty string"));
                case "groups" when value is YamlScalarNode one:
                    groups.Add(one.Value ?? string.Empty);
                    break;
                case "groups" when value is YamlSequenceNode list:
                    foreach (var item in list)
                    {
                        if (item is not YamlScalarNode { Value: { Length: > 0 } name } || string.IsNullOrWhiteSpace(name))
                        {
                            return (null, Error(file, item, "each entry of 'groups' must be a group name such as 'support'"));
                        }

                        groups.Add(name);
                    }

                    break;
                case "groups":
                    return (null, Error(file, value, "'groups' must be a list of group names, e.g. 'groups: [support, billing]'"));
                default:
                    return (null, Error(file, keyNode, $"unknown front matter key '{key}': use 'groups' (who may read it) or 'id'"));
            }
        }

        return (new KnowledgeDocument(id, body, groups), null);
    }

    // The node's line is 1-based within the YAML; the YAML starts on the file's line 2.
    private static KnowledgeLoadError Error(string file, YamlNode node, string message) => new(file, 1 + (int)node.Start.Line, message);
}
