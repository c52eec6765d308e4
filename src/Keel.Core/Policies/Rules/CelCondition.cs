using Keel.Policies.Cel;

namespace Keel.Policies.Rules;

/// <summary>A compiled CEL condition with helpers for the three readings rules need.</summary>
/// <param name="Program">The compiled expression.</param>
internal sealed record CelCondition(CelProgram Program)
{
    /// <summary>Evaluates to a bool; <see langword="null"/> with <paramref name="error"/> set when the result is an error or not a bool.</summary>
    public bool? EvaluateBool(PolicyContext context, out string? error)
    {
        var value = Program.Evaluate(context.Activation);
        switch (value)
        {
            case bool b:
                error = null;
                return b;
            case CelError e:
                error = e.Message;
                return null;
            default:
                error = $"expression gave {Describe(value)}, not a bool";
                return null;
        }
    }

    /// <summary>Evaluates to a number; <see langword="null"/> with <paramref name="error"/> set otherwise.</summary>
    public double? EvaluateNumber(PolicyContext context, out string? error)
    {
        var value = Program.Evaluate(context.Activation);
        error = null;
        switch (value)
        {
            case long l:
                return l;
            case double d:
                return d;
            case int i:
                return i;
            case System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } j when j.TryGetDouble(out var number):
                return number;
            case CelError e:
                error = e.Message;
                return null;
            default:
                error = $"expression gave {Describe(value)}, not a number";
                return null;
        }
    }

    private static string Describe(object? value) => value is null ? "null" : value.GetType().Name;
}
