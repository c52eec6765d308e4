using System.Text.Json;
using Keel.Sdk.Api;

namespace Keel.Sdk.Tests;

/// <summary><see cref="ApiPatchOperation.Parse"/>: the server writes a stored plan's patch through it, so it must not change it.</summary>
public sealed class PatchOperationTests
{
    // As keel serve writes its answers: snake_case names, nulls written unless a property says otherwise.
    private static readonly JsonSerializerOptions ServerJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public void Parse_NullValueAndAbsentFields_WritesThePatchBackUnchanged()
    {
        const string Patch = """[{"op":"replace","path":"/note","value":null},{"op":"remove","path":"/a"},{"op":"move","path":"/b","from":"/c"}]""";
        using var document = JsonDocument.Parse(Patch);

        var operations = ApiPatchOperation.Parse(document.RootElement);
        var written = JsonSerializer.Serialize(operations, ServerJson);

        written.ShouldBe(Patch);
    }

    [Fact]
    public void Parse_NotAnArray_IsEmpty()
    {
        using var document = JsonDocument.Parse("""{"op":"remove"}""");

        ApiPatchOperation.Parse(document.RootElement).ShouldBeEmpty();
    }
}
