using YamlDotNet.RepresentationModel;

namespace Keel.Versions;

/// <summary>Compares the entries of a YAML list keyed by a field (policy rules by <c>id</c>, escalation rules and topics by
/// <c>name</c>): added, removed, and changed — any difference in the entry's canonical form (keys sorted, comments and layout
/// ignored), naming the fields that differ.</summary>
internal static class YamlRuleDiff
{
    public static IEnumerable<string> Compare(string noun, string? before, string? after, string list, string key)
    {
        var a = Entries(before, list, key);
        var b = Entries(after, list, key);
        foreach (var (id, _) in b.Where(e => !a.ContainsKey(e.Key)))
        {
            yield return $"{noun} {id} added";
        }

        foreach (var (id, _) in a.Where(e => !b.ContainsKey(e.Key)))
        {
            yield return $"{noun} {id} removed";
        }

        foreach (var (id, old) in a)
        {
            if (b.TryGetValue(id, out var now))
            {
                var fields = old.Keys.Union(now.Keys).Where(f => old.GetValueOrDefault(f) != now.GetValueOrDefault(f)).Order(StringComparer.Ordinal).ToList();
                if (fields.Count > 0)
                {
                    yield return $"{noun} {id} changed: {string.Join(", ", fields)}";
                }
            }
        }
    }

    /// <summary>A top-level scalar of a YAML mapping document, e.g. <c>policies</c> of <c>agent.yaml</c>; <see langword="null"/> when absent or unreadable.</summary>
    public static string? TopScalar(string? text, string key) =>
        Root(text) is { } root && root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    private static YamlMappingNode? Root(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null;
        }

        return stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
    }

    /// <summary>The entries of the list: key → (field → canonical text), in document order.</summary>
    private static Dictionary<string, Dictionary<string, string>> Entries(string? text, string list, string key)
    {
        var entries = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (Root(text) is not { } root || !root.Children.TryGetValue(new YamlScalarNode(list), out var node) || node is not YamlSequenceNode sequence)
        {
            return entries;
        }

        foreach (var entry in sequence.OfType<YamlMappingNode>())
        {
            var fields = entry.Children.ToDictionary(c => Canonical(c.Key), c => Canonical(c.Value), StringComparer.Ordinal);
            if (fields.TryGetValue(key, out var id))
            {
                entries.TryAdd(id, fields);
            }
        }

        return entries;
    }

    private static string Canonical(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode sequence => "[" + string.Join(",", sequence.Select(Canonical)) + "]",
        YamlMappingNode mapping => "{" + string.Join(",", mapping.Children.Select(c => Canonical(c.Key) + ":" + Canonical(c.Value)).Order(StringComparer.Ordinal)) + "}",
        _ => "",
    };
}
