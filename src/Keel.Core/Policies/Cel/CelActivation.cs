namespace Keel.Policies.Cel;

/// <summary>An <see cref="ICelActivation"/> backed by a dictionary of variables, e.g. <c>new CelActivation { ["args"] = args }</c>.</summary>
/// <remarks>Not thread-safe while being changed; reading from many threads at once is safe.</remarks>
public sealed class CelActivation : ICelActivation
{
    private readonly Dictionary<string, object?> _variables;

    /// <summary>Creates an activation with no variables.</summary>
    public CelActivation()
    {
        _variables = new(StringComparer.Ordinal);
    }

    /// <summary>Creates an activation holding a copy of <paramref name="variables"/>.</summary>
    /// <param name="variables">Variable names (case-sensitive) and their values.</param>
    /// <exception cref="ArgumentNullException"><paramref name="variables"/> is null.</exception>
    public CelActivation(IEnumerable<KeyValuePair<string, object?>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        _variables = new(variables, StringComparer.Ordinal);
    }

    /// <summary>Gets or sets a variable; getting a missing variable returns null.</summary>
    /// <param name="name">The variable name (case-sensitive).</param>
    public object? this[string name]
    {
        get => _variables.GetValueOrDefault(name);
        set => _variables[name] = value;
    }

    /// <inheritdoc />
    public bool TryGetVariable(string name, out object? value) => _variables.TryGetValue(name, out value);
}
