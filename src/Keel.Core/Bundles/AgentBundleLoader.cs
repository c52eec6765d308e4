using System.Globalization;
using System.Security.Cryptography;
using Keel.Model;
using Keel.Policies;
using Keel.Tools;
using YamlDotNet.RepresentationModel;

namespace Keel.Bundles;

/// <summary>Loads an agent version bundle from a folder: <c>agent.yaml</c> (name, version, model, prompt file and its SHA-256,
/// budgets, loop guard, handoff, execution), the <c>tools.json</c> and <c>policies.yaml</c> it names, and <c>escalation.yaml</c> when present
/// (or named by <c>escalation:</c>). The format is in <c>docs/agent-bundle.md</c>.</summary>
public static class AgentBundleLoader
{
    private static readonly string[] TopKeys = ["name", "version", "model", "prompt", "tools", "policies", "budgets", "loop_guard", "handoff", "state", "domain", "execution", "escalation"];

    /// <summary>The <c>tools:</c> value of a bundle whose runs each bring their own tools (BFCL items): <c>per_run</c>. The
    /// version's catalog is then empty, each run is governed with <see cref="Replay.RecordedRun.Tools"/>, and policy tool
    /// lists are not checked against a catalog.</summary>
    public const string PerRunTools = "per_run";

    /// <summary>Loads and validates a bundle.</summary>
    /// <param name="folder">The bundle folder (or the path of its <c>agent.yaml</c>).</param>
    /// <param name="options">Custom C# policies; <see langword="null"/> for none.</param>
    /// <returns>The validated agent version.</returns>
    /// <exception cref="BundleLoadException">Anything is missing or wrong; the message names the file, line and column, and the fix. Policy errors are all listed, one per line.</exception>
    public static AgentVersion Load(string folder, PolicyLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var manifest = File.Exists(folder) ? folder : Path.Combine(folder, "agent.yaml");
        var root = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        if (!File.Exists(manifest))
        {
            throw new BundleLoadException(manifest, 0, 0, "file not found. A bundle folder holds agent.yaml, tools.json and policies.yaml (see docs/agent-bundle.md)");
        }

        var reader = new YamlReader(manifest, File.ReadAllText(manifest));
        var yaml = reader.ReadRoot();
        ThrowOnErrors(reader);
        reader.CheckKeys(yaml!, TopKeys);
        var name = reader.Scalar(yaml!, "name", required: true);
        var version = reader.Scalar(yaml!, "version", required: true);
        var model = reader.Scalar(yaml!, "model", required: false) ?? "unknown";
        var prompt = YamlReader.Child(yaml!, "prompt") as YamlMappingNode;
        if (prompt is null)
        {
            reader.Error(yaml!, "missing 'prompt': give 'prompt: {file: <prompt file>, sha256: <hex>}'");
        }

        ThrowOnErrors(reader);
        var promptFile = reader.Scalar(prompt!, "file", required: true)!;
        var promptSha = reader.Scalar(prompt!, "sha256", required: true)!;
        ThrowOnErrors(reader);
        var promptPath = Path.Combine(root, promptFile);
        if (!File.Exists(promptPath))
        {
            throw At(reader, prompt!, "file", $"prompt file '{promptFile}' not found next to agent.yaml");
        }

        var actualSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(promptPath)));
        if (!string.Equals(actualSha, promptSha, StringComparison.OrdinalIgnoreCase))
        {
            throw At(reader, prompt!, "sha256", $"prompt '{promptFile}' has SHA-256 {actualSha}, not the declared {promptSha}. If the prompt change is intended, set sha256: {actualSha} and bump the version");
        }

        var toolsSetting = reader.Scalar(yaml!, "tools", required: false) ?? "tools.json";
        var perRun = toolsSetting == PerRunTools;
        var tools = perRun ? new ToolCatalog([]) : ToolCatalogLoader.Load(Path.Combine(root, toolsSetting));
        var policiesPath = Path.Combine(root, reader.Scalar(yaml!, "policies", required: false) ?? "policies.yaml");
        var knownTools = options?.KnownTools ?? (perRun ? null : tools.Tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal));
        var load = new PolicyLoadOptions { KnownTools = knownTools, Catalog = options?.Catalog ?? (perRun ? null : tools), SourceDocument = options?.SourceDocument, SourceFolder = root };
        foreach (var custom in options?.CustomPolicies ?? new Dictionary<string, IToolPolicy>())
        {
            load.CustomPolicies[custom.Key] = custom.Value;
        }

        var policies = PolicyLoader.Load(policiesPath, load);
        if (policies.HasErrors)
        {
            throw new BundleLoadException(string.Join(Environment.NewLine, policies.Diagnostics.Where(d => d.IsError)));
        }

        var escalationSetting = reader.Scalar(yaml!, "escalation", required: false);
        var escalationPath = Path.Combine(root, escalationSetting ?? "escalation.yaml");
        var escalation = Escalation.EscalationPolicy.Empty;
        if (escalationSetting is not null || File.Exists(escalationPath))
        {
            var loaded = Escalation.EscalationLoader.Load(escalationPath);
            if (loaded.HasErrors)
            {
                throw new BundleLoadException(string.Join(Environment.NewLine, loaded.Diagnostics.Where(d => d.IsError)));
            }

            escalation = loaded.Policy!;
        }

        string?[] read = [manifest, promptPath, perRun ? null : Path.Combine(root, toolsSetting), policiesPath,
            policies.Set!.Source is { } source ? Path.Combine(root, source) : null,
            escalationSetting is not null || File.Exists(escalationPath) ? escalationPath : null,
            escalation.Source is { } escalationSource ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(escalationPath))!, escalationSource) : null];

        var agent = new AgentVersion
        {
            AgentName = name!,
            Version = version!,
            Model = model,
            Domain = reader.Scalar(yaml!, "domain", required: false),
            PromptFile = promptFile,
            PromptSha256 = actualSha,
            Tools = tools,
            Policies = policies.Set!,
            Budgets = ReadBudgets(reader, yaml!),
            LoopGuard = ReadLoopGuard(reader, yaml!),
            Handoff = ReadHandoff(reader, yaml!),
            Execution = ExecutionSection.Read(reader, yaml!),
            Escalation = escalation,
            Files = [.. read.OfType<string>().Where(File.Exists).Select(p => Path.GetRelativePath(root, Path.GetFullPath(p)).Replace('\\', '/')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
        ThrowOnErrors(reader);
        return agent.Files.Any(f => f.StartsWith("../", StringComparison.Ordinal))
            ? agent
            : agent with { ContentHash = new Versions.BundleContent(agent.Files.Select(f => new Versions.BundleFile(f, File.ReadAllBytes(Path.Combine(root, f))))).Hash };
    }

    private static BudgetLimits ReadBudgets(YamlReader reader, YamlMappingNode yaml)
    {
        if (YamlReader.Child(yaml, "budgets") is not YamlMappingNode node)
        {
            return BudgetLimits.Unlimited;
        }

        reader.CheckKeys(node, ["max_steps", "max_tool_calls", "max_tokens", "max_cost_usd"]);
        return new BudgetLimits(
            (int?)Number(reader, node, "max_steps"),
            (int?)Number(reader, node, "max_tool_calls"),
            (long?)Number(reader, node, "max_tokens"),
            Number(reader, node, "max_cost_usd"));
    }

    private static LoopGuardOptions ReadLoopGuard(YamlReader reader, YamlMappingNode yaml)
    {
        if (YamlReader.Child(yaml, "loop_guard") is not YamlMappingNode node)
        {
            return LoopGuardOptions.Default;
        }

        reader.CheckKeys(node, ["max_repeats", "max_steps_without_progress"]);
        return new LoopGuardOptions(
            (int?)Number(reader, node, "max_repeats") ?? LoopGuardOptions.Default.MaxRepeats,
            (int?)Number(reader, node, "max_steps_without_progress") ?? LoopGuardOptions.Default.MaxStepsWithoutProgress);
    }

    private static HandoffOptions ReadHandoff(YamlReader reader, YamlMappingNode yaml)
    {
        if (YamlReader.Child(yaml, "handoff") is not YamlMappingNode node)
        {
            return HandoffOptions.Default;
        }

        reader.CheckKeys(node, ["tools", "team", "pause_on_approval"]);
        var pause = reader.Scalar(node, "pause_on_approval", required: false);
        if (pause is not null and not ("true" or "false"))
        {
            reader.Error(YamlReader.Child(node, "pause_on_approval")!, $"handoff.pause_on_approval must be true or false, not '{pause}'");
        }

        return new HandoffOptions(reader.List(node, "tools") ?? [], reader.Scalar(node, "team", required: false) ?? HandoffOptions.Default.Team)
        {
            PauseOnApproval = pause == "true",
        };
    }

    private static decimal? Number(YamlReader reader, YamlMappingNode node, string key)
    {
        var text = reader.Scalar(node, key, required: false);
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        reader.Error(YamlReader.Child(node, key)!, $"'{key}' must be a positive number, not '{text}'");
        return null;
    }

    private static BundleLoadException At(YamlReader reader, YamlMappingNode node, string key, string problem)
    {
        var child = YamlReader.Child(node, key) ?? node;
        return new BundleLoadException(reader.File, (int)child.Start.Line, (int)child.Start.Column, problem);
    }

    private static void ThrowOnErrors(YamlReader reader)
    {
        var first = reader.Diagnostics.FirstOrDefault(d => d.IsError);
        if (first is not null)
        {
            throw new BundleLoadException(first.File, first.Line, first.Column, first.Message);
        }
    }
}
