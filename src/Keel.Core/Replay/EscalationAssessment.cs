using System.Text.RegularExpressions;
using Keel.Classification;
using Keel.Monitors;

namespace Keel.Replay;

/// <summary>A replayed run's escalation and topic measured against its labels. The labels are read only here, never by escalation rules
/// or monitors (like <see cref="RunAssessment"/>): "should go to a human" is a handoff tool (<c>transfer_to_human_agents</c>) among the
/// task's expected actions (tau-bench <c>info.task.actions</c>, tau2-bench <c>evaluation_criteria.actions</c>; <c>expected_transfer</c> in
/// the data sets' index files); the topic label of a tau2 telecom run with a customer conversation is the issue type its task id starts with.</summary>
public sealed partial record EscalationAssessment
{
    /// <summary>The benchmarks' handoff tool. Value: <c>transfer_to_human_agents</c>.</summary>
    public const string TransferTool = "transfer_to_human_agents";

    /// <summary>tau2 telecom issue types (the bracketed prefix of a task id) and the topic of the shipped telecom taxonomy that is the
    /// same problem (the tech support manual's section on it). The only place task ids are read, and only to measure.</summary>
    public static IReadOnlyDictionary<string, string> TelecomIssueTopics { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["service_issue"] = "cellular_service",
        ["mobile_data_issue"] = "mobile_data",
        ["mms_issue"] = "mms",
    };

    /// <summary>Whether the task expects a transfer to a human; <see langword="null"/> when its expected actions are unknown.</summary>
    public bool? ShouldEscalate { get; init; }

    /// <summary>Whether an escalation rule fired (<see cref="TagTypes.Escalation"/>).</summary>
    public bool Escalated { get; init; }

    /// <summary>The rules that fired, in order.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>Whether the agent itself transferred the customer (a <c>human_transfer</c> finding).</summary>
    public bool AgentTransferred { get; init; }

    /// <summary>The topic label (a topic name of the taxonomy), or <see langword="null"/> when the run has none.</summary>
    public string? TopicLabel { get; init; }

    /// <summary>The topic Keel tagged (<see cref="TagTypes.TopicPrefix"/>), or <c>none</c>.</summary>
    public string TopicPredicted { get; init; } = "none";

    /// <summary>The topic the optional LLM classifier tagged (<c>none</c> when it answered no topic), or <see langword="null"/> when
    /// it gave the run no tag (off, failed, or no customer message).</summary>
    public string? LlmTopicPredicted { get; init; }

    /// <summary>Assesses a replayed run.</summary>
    /// <param name="replayed">The run.</param>
    /// <returns>The assessment.</returns>
    public static EscalationAssessment Assess(ReplayedRun replayed)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        var labels = replayed.Recorded.Labels;
        var findings = replayed.Findings;
        var topic = findings.FirstOrDefault(f => IsTopic(f) && !ConversationClassifier.IsLlmTag(f))?.Type[TagTypes.TopicPrefix.Length..];
        var llm = findings.Where(ConversationClassifier.IsLlmTag).ToList();
        var llmTopic = llm.Count == 0 ? null : llm.FirstOrDefault(IsTopic)?.Type[TagTypes.TopicPrefix.Length..] ?? ConversationClassifier.NoTopic;
        string? label = null;
        // A run without a customer message (tau2's solo mode: the ticket is in the agent's prompt) has no conversation to classify.
        var conversation = replayed.Run.Events.OfType<Model.MessageEvent>().Any(m => m.Role == Model.MessageRole.User && m.Content.Length > 0);
        if (conversation && replayed.Recorded.Domain == "telecom" && labels.TaskId is { } task && IssuePattern().Match(task) is { Success: true } match)
        {
            label = TelecomIssueTopics.GetValueOrDefault(match.Groups[1].Value);
        }

        return new EscalationAssessment
        {
            ShouldEscalate = labels.ExpectedActions?.Any(a => a.ToolName == TransferTool),
            Escalated = findings.Any(f => f.Type == TagTypes.Escalation),
            Rules = [.. findings.Where(f => f.Type == TagTypes.Escalation).Select(f => RuleName(f.Message))],
            AgentTransferred = findings.Any(f => f.Type == "human_transfer"),
            TopicLabel = label,
            TopicPredicted = topic ?? "none",
            LlmTopicPredicted = llmTopic,
        };
    }

    private static bool IsTopic(Model.Finding finding) => finding.Type.StartsWith(TagTypes.TopicPrefix, StringComparison.Ordinal);

    private static string RuleName(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal) + 1;
        var end = start > 0 ? message.IndexOf('\'', start) : -1;
        return end > start ? message[start..end] : "unknown";
    }

    [GeneratedRegex(@"^\[(\w+)\]", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex IssuePattern();
}
