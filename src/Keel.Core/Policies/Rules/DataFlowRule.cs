using Keel.Provenance;

namespace Keel.Policies.Rules;

/// <summary><c>data_flow</c>: no value in the listed arguments (all arguments when none are listed) may come only from untrusted tool
/// output — a value the user, the system prompt and trusted tools never mentioned, which only text a third party wrote supplied.
/// This is the data-flow rule against indirect prompt injection (product brief: "a write whose arguments come from untrusted tool
/// output, not from the user, needs approval"). Values are traced by <see cref="ProvenanceIndex"/>. <c>kinds</c> limits the check to some
/// value kinds (e.g. <c>[url, email]</c> for a message body, whose prose is data but whose links and addresses steer); with
/// <c>accept_delegated: false</c>, output the user pointed the agent at does not count as a source either.</summary>
internal sealed class DataFlowRule(RuleHeader header, IReadOnlySet<string>? arguments, IReadOnlySet<string>? kinds, bool acceptDelegated) : PolicyRule(header)
{
    public override PolicyVerdict Evaluate(PolicyContext context)
    {
        foreach (var trace in context.ArgumentTraces)
        {
            if ((arguments is null || arguments.Contains(trace.Argument)) && trace.OnlyUntrusted(acceptDelegated, kinds) is { } atom)
            {
                return PolicyVerdict.Fail(Header.Reason is { } reason
                    ? $"{reason} ({Describe(trace, atom)})"
                    : $"{context.Call.ToolName}: {Describe(trace, atom)}; no user message, system prompt or trusted tool named it");
            }
        }

        return PolicyVerdict.Pass;
    }

    internal static string Describe(ArgumentTrace trace, TracedAtom atom) =>
        $"{trace.Path} {atom.Atom} appears only in untrusted output ({atom.Source?.ToString() ?? "unknown source"})";
}
