using Keel.Policies.Cel;

namespace Keel.Policies;

/// <summary>Binds the policy variables <c>tool</c>, <c>args</c>, <c>facts</c>, <c>run</c> and <c>now</c> for CEL evaluation.</summary>
internal sealed class PolicyActivation(PolicyContext context) : ICelActivation
{
    /// <summary>The variables <see cref="TryGetVariable"/> binds, in the order docs/policy-cel.md lists them: the names a policy
    /// expression may read (the linter reports any other, <see cref="PolicyExpressions"/>).</summary>
    public static readonly IReadOnlyList<string> VariableNames = ["tool", "args", "facts", "run", "now"];

    private object? _now;

    public bool TryGetVariable(string name, out object? value)
    {
        switch (name)
        {
            case "args":
                value = context.Arguments;
                return true;
            case "facts":
                value = context.State.Facts;
                return true;
            case "run":
                value = context.State.RunView;
                return true;
            case "now":
                value = _now ??= context.Now;
                return true;
            case "tool":
                value = context.Call.ToolName;
                return true;
            default:
                value = null;
                return false;
        }
    }
}
