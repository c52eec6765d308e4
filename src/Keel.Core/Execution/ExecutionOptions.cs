using System.Globalization;

namespace Keel.Execution;

/// <summary>How the execute stage calls a tool in enforce mode: a timeout per attempt, bounded retries with exponential
/// backoff for transient failures of idempotent tools, and a circuit breaker per tool (docs/execution.md).</summary>
/// <remarks>
/// <para>A value: two instances with the same settings are equal, and tools with equal effective settings and the same name
/// share one resilience pipeline (one circuit). Immutable and thread-safe.</para>
/// <para>Where the settings come from: the host passes one instance to the execute stage; an agent version's
/// <c>execution:</c> section in <c>agent.yaml</c> replaces it for that agent's calls (keys it leaves out take the defaults
/// below); a tool's <c>x-timeout-ms</c> in <c>tools.json</c> replaces <see cref="AttemptTimeout"/> for that tool.</para>
/// <para>Worst case of one call: <see cref="MaxExecutionTime"/> = (<see cref="MaxRetries"/> + 1) × <see cref="AttemptTimeout"/>
/// + the backoff delays; with the defaults 3 × 10 000 ms + 200 ms + 400 ms = 30 600 ms.</para>
/// </remarks>
public sealed record ExecutionOptions
{
    /// <summary>The defaults.</summary>
    public static ExecutionOptions Default { get; } = new();

    /// <summary>How long one attempt may take before it is abandoned as a timeout (then, for a tool that is not idempotent, the
    /// outcome is unknown). Between 10 ms and 24 h.</summary>
    /// <value>The default is 10 s (10 000 ms).</value>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt, only for transient failures of idempotent tools. Between 0 and 10.</summary>
    /// <value>The default is 2 (so at most 3 attempts).</value>
    public int MaxRetries { get; init; } = 2;

    /// <summary>The backoff ceiling of the first retry; retry n waits up to <c>BaseDelay × 2^(n−1)</c>, capped at
    /// <see cref="MaxDelay"/>. Between 0 and <see cref="MaxDelay"/>.</summary>
    /// <value>The default is 200 ms.</value>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait before any one retry. Between <see cref="BaseDelay"/> and 24 h.</summary>
    /// <value>The default is 2 s (2 000 ms).</value>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether each backoff delay is randomized ("equal jitter": a uniform delay in [ceiling / 2, ceiling)) so that
    /// agents that failed together do not retry together; without jitter each delay is exactly its ceiling.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseJitter { get; init; } = true;

    /// <summary>The share of transient failures among a tool's calls in <see cref="CircuitSamplingDuration"/> at which its
    /// circuit opens. More than 0, at most 1.</summary>
    /// <value>The default is 0.5.</value>
    public double CircuitFailureRatio { get; init; } = 0.5;

    /// <summary>Attempts of a tool that must be seen in <see cref="CircuitSamplingDuration"/> before its circuit may open. At least 2.</summary>
    /// <value>The default is 5.</value>
    public int CircuitMinimumThroughput { get; init; } = 5;

    /// <summary>The window over which the failure ratio is measured. Between 500 ms and 24 h.</summary>
    /// <value>The default is 30 s (30 000 ms).</value>
    public TimeSpan CircuitSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls before it lets one probe through (half-open). Between 500 ms and 24 h.</summary>
    /// <value>The default is 15 s (15 000 ms).</value>
    public TimeSpan CircuitBreakDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest one call can take in the execute stage: every attempt timing out and every retry waiting its full ceiling.</summary>
    public TimeSpan MaxExecutionTime
    {
        get
        {
            var total = AttemptTimeout * (MaxRetries + 1);
            for (var retry = 1; retry <= MaxRetries; retry++)
            {
                total += DelayCeiling(retry);
            }

            return total;
        }
    }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names each such setting, its value and the allowed range.</exception>
    public void Validate()
    {
        var problems = FindProblems().Select(p => $"ExecutionOptions.{p.Setting} {p.Problem}").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
    }

    /// <summary>The backoff ceiling before retry <paramref name="retry"/> (1-based): <c>min(MaxDelay, BaseDelay × 2^(retry−1))</c>.</summary>
    internal TimeSpan DelayCeiling(int retry)
    {
        var ms = BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
        return ms >= MaxDelay.TotalMilliseconds ? MaxDelay : TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>The settings out of range, by property name, each with a sentence that says the value and the fix.</summary>
    internal IEnumerable<(string Setting, string Problem)> FindProblems()
    {
        var day = TimeSpan.FromDays(1);
        if (AttemptTimeout < TimeSpan.FromMilliseconds(10) || AttemptTimeout > day)
        {
            yield return (nameof(AttemptTimeout), $"is {Ms(AttemptTimeout)} ms; set it between 10 ms and 86400000 ms (24 h); the default is 10000 ms");
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return (nameof(MaxRetries), $"is {MaxRetries}; set it between 0 (never retry) and 10; the default is 2");
        }

        if (BaseDelay < TimeSpan.Zero || BaseDelay > MaxDelay)
        {
            yield return (nameof(BaseDelay), $"is {Ms(BaseDelay)} ms; set it between 0 ms and MaxDelay ({Ms(MaxDelay)} ms); the default is 200 ms");
        }

        if (MaxDelay < TimeSpan.Zero || MaxDelay > day)
        {
            yield return (nameof(MaxDelay), $"is {Ms(MaxDelay)} ms; set it between BaseDelay and 86400000 ms (24 h); the default is 2000 ms");
        }

        if (!(CircuitFailureRatio > 0 && CircuitFailureRatio <= 1))
        {
            yield return (nameof(CircuitFailureRatio), $"is {CircuitFailureRatio.ToString(CultureInfo.InvariantCulture)}; set a share above 0 and at most 1 (0.5 opens at half the calls failing); the default is 0.5");
        }

        if (CircuitMinimumThroughput < 2)
        {
            yield return (nameof(CircuitMinimumThroughput), $"is {CircuitMinimumThroughput}; set it to 2 or more; the default is 5");
        }

        if (CircuitSamplingDuration < TimeSpan.FromMilliseconds(500) || CircuitSamplingDuration > day)
        {
            yield return (nameof(CircuitSamplingDuration), $"is {Ms(CircuitSamplingDuration)} ms; set it between 500 ms and 86400000 ms (24 h); the default is 30000 ms");
        }

        if (CircuitBreakDuration < TimeSpan.FromMilliseconds(500) || CircuitBreakDuration > day)
        {
            yield return (nameof(CircuitBreakDuration), $"is {Ms(CircuitBreakDuration)} ms; set it between 500 ms and 86400000 ms (24 h); the default is 15000 ms");
        }
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
}
