namespace Keel.Policies.Cel;

/// <summary>
/// One compiled node of a CEL program: reads the activation and the comprehension locals and
/// returns a CEL value or a <see cref="CelError"/>. Never throws for data errors.
/// </summary>
/// <param name="activation">The top-level variables.</param>
/// <param name="locals">Comprehension loop variables by slot; empty when the program has no macros.</param>
internal delegate object? CelEvaluator(ICelActivation activation, object?[] locals);
