using System.Globalization;
using Keel.Execution;
using Keel.Policies;
using YamlDotNet.RepresentationModel;

namespace Keel.Bundles;

/// <summary>Reads the optional <c>execution:</c> section of <c>agent.yaml</c> into <see cref="ExecutionOptions"/>; keys left out
/// take the defaults. Errors go to the reader with the key's line and column.</summary>
internal static class ExecutionSection
{
    private static readonly string[] Keys = ["timeout_ms", "max_retries", "base_delay_ms", "max_delay_ms", "jitter", "circuit_breaker"];

    private static readonly string[] CircuitKeys = ["failure_ratio", "minimum_throughput", "sampling_duration_ms", "break_duration_ms"];

    // Where each setting lives in agent.yaml, for errors found by ExecutionOptions' own checks.
    private static readonly Dictionary<string, (string? Parent, string Key)> YamlKeys = new(StringComparer.Ordinal)
    {
        [nameof(ExecutionOptions.AttemptTimeout)] = (null, "timeout_ms"),
        [nameof(ExecutionOptions.MaxRetries)] = (null, "max_retries"),
        [nameof(ExecutionOptions.BaseDelay)] = (null, "base_delay_ms"),
        [nameof(ExecutionOptions.MaxDelay)] = (null, "max_delay_ms"),
        [nameof(ExecutionOptions.CircuitFailureRatio)] = ("circuit_breaker", "failure_ratio"),
        [nameof(ExecutionOptions.CircuitMinimumThroughput)] = ("circuit_breaker", "minimum_throughput"),
        [nameof(ExecutionOptions.CircuitSamplingDuration)] = ("circuit_breaker", "sampling_duration_ms"),
        [nameof(ExecutionOptions.CircuitBreakDuration)] = ("circuit_breaker", "break_duration_ms"),
    };

    /// <summary>The agent's execution settings, or <see langword="null"/> when <c>agent.yaml</c> has no <c>execution:</c> section.</summary>
    public static ExecutionOptions? Read(YamlReader reader, YamlMappingNode yaml)
    {
        if (YamlReader.Child(yaml, "execution") is not { } child)
        {
            return null;
        }

        if (child is not YamlMappingNode node)
        {
            reader.Error(child, "'execution' must be a mapping, e.g. 'execution: {timeout_ms: 10000, max_retries: 2}' (see docs/agent-bundle.md)");
            return null;
        }

        reader.CheckKeys(node, Keys);
        var defaults = ExecutionOptions.Default;
        var circuit = YamlReader.Child(node, "circuit_breaker") as YamlMappingNode;
        if (circuit is not null)
        {
            reader.CheckKeys(circuit, CircuitKeys);
        }

        var options = new ExecutionOptions
        {
            AttemptTimeout = Ms(reader, node, "timeout_ms") ?? defaults.AttemptTimeout,
            MaxRetries = (int?)Number(reader, node, "max_retries") ?? defaults.MaxRetries,
            BaseDelay = Ms(reader, node, "base_delay_ms") ?? defaults.BaseDelay,
            MaxDelay = Ms(reader, node, "max_delay_ms") ?? defaults.MaxDelay,
            UseJitter = Flag(reader, node, "jitter") ?? defaults.UseJitter,
            CircuitFailureRatio = circuit is null ? defaults.CircuitFailureRatio : (double?)Number(reader, circuit, "failure_ratio", whole: false) ?? defaults.CircuitFailureRatio,
            CircuitMinimumThroughput = circuit is null ? defaults.CircuitMinimumThroughput : (int?)Number(reader, circuit, "minimum_throughput") ?? defaults.CircuitMinimumThroughput,
            CircuitSamplingDuration = (circuit is null ? null : Ms(reader, circuit, "sampling_duration_ms")) ?? defaults.CircuitSamplingDuration,
            CircuitBreakDuration = (circuit is null ? null : Ms(reader, circuit, "break_duration_ms")) ?? defaults.CircuitBreakDuration,
        };
        foreach (var (setting, problem) in options.FindProblems())
        {
            var (parent, key) = YamlKeys[setting];
            var owner = parent is null ? node : circuit ?? node;
            var at = YamlReader.Child(owner, key) ?? owner;
            reader.Error(at, $"execution{(parent is null ? string.Empty : "." + parent)}.{key} {problem} (ExecutionOptions.{setting})");
        }

        return options;
    }

    private static TimeSpan? Ms(YamlReader reader, YamlMappingNode node, string key) =>
        Number(reader, node, key) is { } ms ? TimeSpan.FromMilliseconds((double)ms) : null;

    private static decimal? Number(YamlReader reader, YamlMappingNode node, string key, bool whole = true)
    {
        var text = reader.Scalar(node, key, required: false);
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0 && (!whole || value == decimal.Truncate(value)) && value <= int.MaxValue)
        {
            return value;
        }

        reader.Error(YamlReader.Child(node, key)!, $"'{key}' must be {(whole ? "a whole number, 0 or more" : "a number, 0 or more")}, not '{text}'");
        return null;
    }

    private static bool? Flag(YamlReader reader, YamlMappingNode node, string key)
    {
        var text = reader.Scalar(node, key, required: false);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var flag))
        {
            return flag;
        }

        reader.Error(YamlReader.Child(node, key)!, $"'{key}' must be true or false, not '{text}'");
        return null;
    }
}
