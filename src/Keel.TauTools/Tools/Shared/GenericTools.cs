using Keel.TauTools.Json;

namespace Keel.TauTools.Tools.Shared;

/// <summary>The tools both domains share: <c>calculate</c>, <c>think</c>, <c>transfer_to_human_agents</c>.</summary>
/// <remarks>Behaviour of tau-bench's <c>calculate.py</c>, <c>think.py</c> and <c>transfer_to_human_agents.py</c> (same in both domains).</remarks>
internal static class GenericTools
{
    private const string Allowed = "0123456789+-*/(). ";

    /// <summary>
    /// Evaluates arithmetic and answers <c>str(round(float(result), 2))</c>, e.g. <c>255.0</c>; <c>Error: invalid
    /// characters in expression</c> for anything but digits, <c>+ - * / ( ) .</c> and spaces; Python's error otherwise.
    /// </summary>
    public static ToolOutcome Calculate(ToolContext context, ToolArguments arguments)
    {
        var expression = arguments.Text("expression");
        if (expression.Any(c => !Allowed.Contains(c, StringComparison.Ordinal)))
        {
            return ToolOutcome.Error("invalid characters in expression");
        }

        if (PyArithmetic.TryEvaluate(expression, out var value) is { } error)
        {
            return ToolOutcome.Error(error);
        }

        try
        {
            return ToolOutcome.Ok(PyFloat.Repr(PyFloat.Round(value.ToDouble(), 2)));
        }
        catch (PyEvalException ex)
        {
            return ToolOutcome.Error(ex.Message);
        }
    }

    /// <summary>Records nothing and answers an empty text: the thought is in the call itself.</summary>
    public static ToolOutcome Think(ToolContext context, ToolArguments arguments) => ToolOutcome.Ok(string.Empty);

    /// <summary>Answers <c>Transfer successful</c>; the conversation ends there (tau-bench's terminating tool).</summary>
    public static ToolOutcome TransferToHumanAgents(ToolContext context, ToolArguments arguments) => ToolOutcome.Ok("Transfer successful");
}
