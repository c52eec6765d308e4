namespace Keel.Policies;

/// <summary>A policy written in C#, for what expressions cannot say. Registered by name and referenced from <c>policies.yaml</c> as <c>kind: custom</c>, <c>type: &lt;name&gt;</c>.</summary>
/// <remarks>Implementations must be thread-safe and must not throw for expected conditions; return a <see cref="PolicyVerdict"/> instead.</remarks>
public interface IToolPolicy
{
    /// <summary>The name used in <c>policies.yaml</c>.</summary>
    string Name { get; }

    /// <summary>Judges a proposed call.</summary>
    /// <param name="context">The call and its run.</param>
    /// <returns><see cref="PolicyVerdict.Pass"/> when the policy has no objection, otherwise a failing verdict with a reason.</returns>
    PolicyVerdict Evaluate(PolicyContext context);
}
