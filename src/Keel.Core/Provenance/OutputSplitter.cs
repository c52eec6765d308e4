using System.Text;
using Keel.Tools;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Provenance;

/// <summary>Splits a tool's output into the text it vouches for and the text third parties wrote, by the tool's <see cref="OutputTrust"/>.
/// Outputs are parsed as YAML, which also reads JSON; an output that does not parse is untrusted as a whole when any field is.</summary>
public static class OutputSplitter
{
    /// <summary>Splits an output.</summary>
    /// <param name="output">The tool's output text.</param>
    /// <param name="trust">The tool's output trust.</param>
    /// <returns>The trusted text and the untrusted text (scalars joined by new lines); either may be empty.</returns>
    public static (string Trusted, string Untrusted) Split(string output, OutputTrust trust)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(trust);
        if (!trust.IsUntrusted)
        {
            return (output, string.Empty);
        }

        if (trust.Fields is not { } fields)
        {
            return (string.Empty, output);
        }

        YamlNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(output));
            if (stream.Documents.Count == 0)
            {
                return (output, string.Empty);
            }

            root = stream.Documents[0].RootNode;
        }
        catch (YamlException)
        {
            return (string.Empty, output);
        }

        if (root is YamlScalarNode)
        {
            return (string.Empty, output);
        }

        var trusted = new StringBuilder();
        var untrusted = new StringBuilder();
        Walk(root, fields, untrustedHere: false, trusted, untrusted);
        return (trusted.ToString(), untrusted.ToString());
    }

    private static void Walk(YamlNode node, IReadOnlySet<string> fields, bool untrustedHere, StringBuilder trusted, StringBuilder untrusted)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                (untrustedHere ? untrusted : trusted).Append(scalar.Value).Append('\n');
                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    Walk(child, fields, untrustedHere, trusted, untrusted);
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value;
                    (untrustedHere ? untrusted : trusted).Append(name).Append('\n');
                    Walk(value, fields, untrustedHere || (name is not null && fields.Contains(name)), trusted, untrusted);
                }

                break;
        }
    }
}
