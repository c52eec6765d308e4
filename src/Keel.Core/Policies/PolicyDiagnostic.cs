namespace Keel.Policies;

/// <summary>A problem found while loading or linting a policy file.</summary>
/// <param name="File">The file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="IsError">Errors stop the load; warnings do not.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record PolicyDiagnostic(string File, int Line, int Column, bool IsError, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {(IsError ? "error" : "warning")}: {Message}";
}

/// <summary>The result of loading a policy file.</summary>
/// <param name="Set">The compiled set, or <see langword="null"/> when there were errors.</param>
/// <param name="Diagnostics">Errors and warnings in file order.</param>
public sealed record PolicyLoadResult(PolicySet? Set, IReadOnlyList<PolicyDiagnostic> Diagnostics)
{
    /// <summary>Whether any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The number of entries under <c>rules:</c>, counted whether or not they load (a file with errors has no <see cref="Set"/>).</summary>
    public int RuleCount { get; init; }
}

/// <summary>Options for loading policies.</summary>
public sealed class PolicyLoadOptions
{
    /// <summary>C# policies referenced by <c>kind: custom</c>, by name. The default is none.</summary>
    public IDictionary<string, IToolPolicy> CustomPolicies { get; } = new Dictionary<string, IToolPolicy>(StringComparer.Ordinal);

    /// <summary>Tool names of the agent's catalog; when set, rules naming other tools get a warning. The default is <see langword="null"/> (not checked).</summary>
    public IReadOnlySet<string>? KnownTools { get; set; }

    /// <summary>The agent's tools (<c>tools.json</c>); when set, expressions are checked against it: <c>args.x</c> in a rule naming its tools
    /// must be a property of one of their argument schemas, and <c>facts.x</c> must name a read tool. The default is <see langword="null"/>
    /// (only variable names are checked).</summary>
    public Tools.ToolCatalog? Catalog { get; set; }

    /// <summary>Text of the cited policy document; when set, a <c>cite</c> not found in it gets a warning. The default is <see langword="null"/>: the
    /// file named by the policy's <c>source:</c> is read from <see cref="SourceFolder"/> when that is set, otherwise cites are not checked.</summary>
    public string? SourceDocument { get; set; }

    /// <summary>Folder the policy's <c>source:</c> document is resolved against (the bundle folder). The default is <see langword="null"/>.</summary>
    public string? SourceFolder { get; set; }
}
