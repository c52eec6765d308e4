using System.Text.Json;
using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

/// <summary>Helpers shared by the CEL tests.</summary>
internal static class Cel
{
    /// <summary>Compiles and evaluates <paramref name="source"/> with the given variables.</summary>
    public static object? Eval(string source, params (string Name, object? Value)[] variables)
    {
        var activation = new CelActivation();
        foreach ((string name, object? value) in variables)
        {
            activation[name] = value;
        }

        return CelProgram.Compile(source).Evaluate(activation);
    }

    /// <summary>Evaluates and returns the message of the error value the expression must produce.</summary>
    public static string ErrorOf(string source, params (string Name, object? Value)[] variables)
    {
        object? result = Eval(source, variables);
        return result.ShouldBeOfType<CelError>().Message;
    }

    /// <summary>Compiles and returns the parse exception the expression must produce.</summary>
    public static CelParseException ParseErrorOf(string source) =>
        Should.Throw<CelParseException>(() => CelProgram.Compile(source));

    /// <summary>Parses JSON into an element that outlives its document.</summary>
    public static JsonElement Json(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
