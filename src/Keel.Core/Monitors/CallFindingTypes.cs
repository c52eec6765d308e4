namespace Keel.Monitors;

/// <summary>
/// The stable, snake_case types of findings about a malformed or misplaced tool call, as <c>report.json</c> and the run record
/// carry them (<see cref="Model.Finding.Type"/>). Each schema violation kind of <see cref="Tools.SchemaViolation"/> maps to one
/// type; <see cref="NoFunctionFits"/> comes from <see cref="RelevanceDetector"/>. Thread-safe.
/// </summary>
public static class CallFindingTypes
{
    /// <summary>The called function is not among those offered (schema kind <c>unknown_tool</c>).</summary>
    public const string WrongFunction = "wrong_function";

    /// <summary>A required argument is missing, at any depth (schema kind <c>missing_field</c>).</summary>
    public const string MissingArgument = "missing_argument";

    /// <summary>An argument the function does not declare, at any depth (schema kind <c>extra_field</c>).</summary>
    public const string ExtraArgument = "extra_argument";

    /// <summary>An argument or a nested value of the wrong JSON type (schema kind <c>wrong_type</c>); the finding names the JSONPath, e.g. <c>$.interval[1]</c>.</summary>
    public const string WrongType = "wrong_type";

    /// <summary>The arguments are not a JSON object: not valid JSON, or another JSON value (schema kind <c>malformed_json</c>).</summary>
    public const string UnparseableArguments = "unparseable_arguments";

    /// <summary>A value outside the declared <c>enum</c> (schema kind <c>not_in_enum</c>).</summary>
    public const string ValueNotAllowed = "value_not_allowed";

    /// <summary>Any other schema violation: a format, length, range or pattern (schema kind <c>invalid</c>).</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>The call fits nothing the user asked (<see cref="RelevanceDetector"/>): BFCL's irrelevance error.</summary>
    public const string NoFunctionFits = "no_function_fits";

    /// <summary>Every call finding type, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } =
        [WrongFunction, MissingArgument, ExtraArgument, WrongType, UnparseableArguments, ValueNotAllowed, InvalidValue, NoFunctionFits];

    /// <summary>Whether a finding type is one of <see cref="All"/>.</summary>
    /// <param name="findingType">A finding type.</param>
    /// <returns>Whether it is a call finding.</returns>
    public static bool IsCallFinding(string findingType) => All.Contains(findingType, StringComparer.Ordinal);

    /// <summary>The finding type of a schema violation kind.</summary>
    /// <param name="kind">A <see cref="Tools.SchemaViolation.Kind"/>.</param>
    /// <returns>The finding type; <see cref="InvalidValue"/> for kinds not listed.</returns>
    public static string FromSchemaKind(string kind) => kind switch
    {
        "unknown_tool" => WrongFunction,
        "missing_field" => MissingArgument,
        "extra_field" => ExtraArgument,
        "wrong_type" => WrongType,
        "malformed_json" => UnparseableArguments,
        "not_in_enum" => ValueNotAllowed,
        _ => InvalidValue,
    };
}
