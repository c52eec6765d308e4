using ModelContextProtocol.Protocol;

namespace Keel.Mcp.Upstream;

/// <summary>The text of an MCP <c>tools/call</c> result as Keel records it.</summary>
internal static class CallToolResultText
{
    /// <summary>Text blocks joined with a line feed; an embedded text resource counts as text; any other block (image, audio,
    /// binary resource, link) becomes a one-line placeholder naming its type, since Keel records text. With no content blocks,
    /// the structured content's JSON text; with neither, the empty string.</summary>
    public static string Of(CallToolResult result)
    {
        if (result.Content is not { Count: > 0 } content)
        {
            return result.StructuredContent is { } structured ? structured.GetRawText() : string.Empty;
        }

        if (content is [TextContentBlock single])
        {
            return single.Text;
        }

        return string.Join('\n', content.Select(block => block switch
        {
            TextContentBlock text => text.Text,
            EmbeddedResourceBlock { Resource: TextResourceContents resource } => resource.Text,
            ImageContentBlock image => $"[image content ({image.MimeType}) not shown]",
            AudioContentBlock audio => $"[audio content ({audio.MimeType}) not shown]",
            _ => $"[{block.Type} content not shown]",
        }));
    }
}
