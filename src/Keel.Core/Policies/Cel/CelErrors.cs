namespace Keel.Policies.Cel;

/// <summary>The error values evaluation produces; see docs/policy-cel.md for the list.</summary>
internal static class CelErrors
{
    private const int MaxQuotedLength = 64;

    public static readonly CelError DivisionByZero = new("division by zero");
    public static readonly CelError ModulusByZero = new("modulus by zero");
    public static readonly CelError IntegerOverflow = new("integer overflow");
    public static readonly CelError TimestampOutOfRange = new("timestamp out of range");
    public static readonly CelError DurationOutOfRange = new("duration out of range");

    public static CelError NoSuchKey(object? key) =>
        new($"no such key: {Quote(key)}");

    public static CelError NoSuchOverload(string signature) =>
        new($"no such overload: {signature}");

    public static CelError Unary(string op, object? operand) =>
        NoSuchOverload($"{op}{CelValue.TypeName(operand)}");

    public static CelError Binary(string op, object? left, object? right) =>
        NoSuchOverload($"{CelValue.TypeName(left)} {op} {CelValue.TypeName(right)}");

    public static CelError Function(string name, object? argument) =>
        NoSuchOverload($"{name}({CelValue.TypeName(argument)})");

    public static CelError Method(string name, object? target) =>
        NoSuchOverload($"{CelValue.TypeName(target)}.{name}()");

    public static CelError Method(string name, object? target, object? argument) =>
        NoSuchOverload($"{CelValue.TypeName(target)}.{name}({CelValue.TypeName(argument)})");

    /// <summary>Returns the first of two operands that is an error, or null.</summary>
    public static CelError? First(object? a, object? b) => a as CelError ?? b as CelError;

    /// <summary>Renders a value for a message: strings quoted and cut to 64 characters.</summary>
    public static string Quote(object? value)
    {
        if (value is not string s)
        {
            return value is null ? "null" : CelConversions.Format(value) ?? CelValue.TypeName(value);
        }

        return s.Length <= MaxQuotedLength ? $"'{s}'" : $"'{s[..MaxQuotedLength]}…'";
    }
}
