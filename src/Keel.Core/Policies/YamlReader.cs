using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Policies;

/// <summary>Reads a YAML document node by node and collects diagnostics with exact file positions.</summary>
internal sealed class YamlReader(string file, string text)
{
    private readonly List<PolicyDiagnostic> _diagnostics = [];
    private readonly string[] _lines = text.Split('\n');

    public IReadOnlyList<PolicyDiagnostic> Diagnostics => _diagnostics;

    public string File => file;

    public YamlMappingNode? ReadRoot()
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            _diagnostics.Add(new PolicyDiagnostic(file, (int)ex.Start.Line, (int)ex.Start.Column, true, $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _diagnostics.Add(new PolicyDiagnostic(file, 1, 1, true, "expected a YAML mapping at the top level"));
            return null;
        }

        return root;
    }

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public string? Scalar(YamlMappingNode node, string key, bool required)
    {
        var child = Child(node, key);
        switch (child)
        {
            case null when required:
                Error(node, $"missing '{key}'");
                return null;
            case null:
                return null;
            case YamlScalarNode scalar:
                return scalar.Value;
            default:
                Error(child, $"'{key}' must be a single value, not a {(child is YamlSequenceNode ? "list" : "mapping")}");
                return null;
        }
    }

    public List<string>? List(YamlMappingNode node, string key)
    {
        switch (Child(node, key))
        {
            case null:
                return null;
            case YamlSequenceNode sequence:
                var items = new List<string>(sequence.Children.Count);
                foreach (var item in sequence)
                {
                    if (item is YamlScalarNode { Value: { } value })
                    {
                        items.Add(value);
                    }
                    else
                    {
                        Error(item, $"'{key}' must be a list of names");
                    }
                }

                return items;
            case YamlScalarNode { Value: { } single }:
                return [single];
            case var other:
                Error(other, $"'{key}' must be a list of names");
                return null;
        }
    }

    public void CheckKeys(YamlMappingNode node, string[] allowed)
    {
        foreach (var key in node.Children.Keys.OfType<YamlScalarNode>())
        {
            if (key.Value is { } name && Array.IndexOf(allowed, name) < 0)
            {
                var guess = allowed.OrderBy(a => Distance(a, name)).First();
                Warning(key, $"unknown key '{name}' is ignored" + (Distance(guess, name) <= 3 ? $"; did you mean '{guess}'?" : $"; known keys: {string.Join(", ", allowed)}"));
            }
        }
    }

    public void Error(YamlNode node, string message) => Add(node, true, message);

    public void Warning(YamlNode node, string message) => Add(node, false, message);

    public PolicyRule? Fail(YamlNode node, string message)
    {
        Error(node, message);
        return null;
    }

    public string Location(YamlNode node) => $"{file}:{node.Start.Line}:{node.Start.Column}";

    /// <summary>Reports a CEL error at its exact position in the file, mapping the expression's line and column through the scalar's style.</summary>
    public void ExpressionError(YamlScalarNode node, int exprLine, int exprColumn, string detail) =>
        ExpressionDiagnostic(node, exprLine, exprColumn, isError: true, $"in expression: {detail}");

    /// <summary>Reports a problem at a position inside an expression, mapped to the file as <see cref="ExpressionError"/> does.</summary>
    public void ExpressionDiagnostic(YamlScalarNode node, int exprLine, int exprColumn, bool isError, string message)
    {
        int line, column;
        if (node.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            line = (int)node.Start.Line + exprLine;
            var first = (int)node.Start.Line < _lines.Length ? _lines[(int)node.Start.Line] : string.Empty;
            column = (first.Length - first.TrimStart().Length) + exprColumn;
        }
        else
        {
            line = (int)node.Start.Line + exprLine - 1;
            var quoted = node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
            column = exprLine == 1 ? (int)node.Start.Column + quoted + exprColumn - 1 : exprColumn;
        }

        _diagnostics.Add(new PolicyDiagnostic(file, line, column, isError, message));
    }

    private void Add(YamlNode node, bool isError, string message) =>
        _diagnostics.Add(new PolicyDiagnostic(file, (int)node.Start.Line, (int)node.Start.Column, isError, message));

    /// <summary>A "did you mean" for a misspelt name: the closest of <paramref name="known"/> when it is within a third to a half of the
    /// name's length (at least 1, at most 3 edits).</summary>
    /// <param name="name">The name as written.</param>
    /// <param name="known">The names that would be valid.</param>
    /// <returns><c>; did you mean 'x'?</c>, or an empty string when no known name is close.</returns>
    public static string Suggest(string name, IReadOnlyCollection<string> known)
    {
        var guess = known.OrderBy(k => Distance(k, name)).FirstOrDefault();
        return guess is not null && Distance(guess, name) <= Math.Max(1, Math.Min(3, name.Length / 2)) ? $"; did you mean '{guess}'?" : string.Empty;
    }

    /// <summary>The Levenshtein distance of two names, for "did you mean" suggestions.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
