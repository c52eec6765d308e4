using Keel.Classification;
using Keel.Monitors;
using Keel.Replay;

namespace Keel.Reports;

/// <summary>Adds up escalation, topic and tag figures of assessed runs (<see cref="EscalationAssessment"/>). Not thread-safe.</summary>
internal sealed class EscalationAccumulator
{
    private readonly SortedDictionary<string, int> _tags = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (int Fired, int Expected)> _rules = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedDictionary<string, int>> _confusion = new(StringComparer.Ordinal);
    private int _labelled;
    private int _expected;
    private int _predicted;
    private int _truePositives;
    private int _escalatedRuns;
    private int _agentTransfers;
    private int _agentTruePositives;
    private int _topicLabelled;
    private int _topicCorrect;
    private int _llmTopicLabelled;
    private int _llmTopicCorrect;

    public void Add(ReplayedRun replayed)
    {
        var a = EscalationAssessment.Assess(replayed);
        _escalatedRuns += a.Escalated ? 1 : 0;
        foreach (var type in replayed.Findings.Where(f => !ConversationClassifier.IsLlmTag(f)).Select(f => f.Type).Where(IsTag).Distinct(StringComparer.Ordinal))
        {
            _tags[type] = _tags.GetValueOrDefault(type) + 1;
        }

        foreach (var rule in a.Rules.Distinct(StringComparer.Ordinal))
        {
            var entry = _rules.GetValueOrDefault(rule);
            _rules[rule] = (entry.Fired + 1, entry.Expected + (a.ShouldEscalate == true ? 1 : 0));
        }

        if (a.ShouldEscalate is { } should)
        {
            _labelled++;
            _expected += should ? 1 : 0;
            _predicted += a.Escalated ? 1 : 0;
            _truePositives += should && a.Escalated ? 1 : 0;
            _agentTransfers += a.AgentTransferred ? 1 : 0;
            _agentTruePositives += should && a.AgentTransferred ? 1 : 0;
        }

        if (a.TopicLabel is { } label)
        {
            _topicLabelled++;
            _topicCorrect += label == a.TopicPredicted ? 1 : 0;
            if (!_confusion.TryGetValue(label, out var row))
            {
                _confusion[label] = row = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            row[a.TopicPredicted] = row.GetValueOrDefault(a.TopicPredicted) + 1;
            if (a.LlmTopicPredicted is { } llm)
            {
                _llmTopicLabelled++;
                _llmTopicCorrect += label == llm ? 1 : 0;
            }
        }
    }

    public ReportMetrics AddTo(ReportMetrics metrics)
    {
        var (precision, recall, f1) = Scores(_truePositives, _predicted, _expected, _labelled);
        var (agentPrecision, agentRecall, agentF1) = Scores(_agentTruePositives, _agentTransfers, _expected, _labelled);
        return metrics with
        {
            EscalatedRuns = _escalatedRuns,
            EscalationLabelledRuns = _labelled,
            EscalationExpected = _expected,
            EscalationTruePositives = _truePositives,
            EscalationPrecision = precision,
            EscalationRecall = recall,
            EscalationF1 = f1,
            EscalationByRule = _rules.ToDictionary(r => r.Key, r => new EscalationRuleStats(r.Value.Fired, r.Value.Expected), StringComparer.Ordinal),
            AgentTransfersNotNeeded = _labelled == 0 ? null : _agentTransfers - _agentTruePositives,
            AgentTransferPrecision = agentPrecision,
            AgentTransferRecall = agentRecall,
            AgentTransferF1 = agentF1,
            TopicLabelledRuns = _topicLabelled,
            TopicAccuracy = _topicLabelled == 0 ? null : _topicCorrect / (double)_topicLabelled,
            TopicConfusion = _topicLabelled == 0 ? null : _confusion.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, int>)r.Value, StringComparer.Ordinal),
            LlmTopicLabelledRuns = _llmTopicLabelled,
            LlmTopicAccuracy = _llmTopicLabelled == 0 ? null : _llmTopicCorrect / (double)_llmTopicLabelled,
            Tags = _tags,
        };
    }

    /// <summary>Precision, recall and F1 of a prediction against labels: null without labelled runs; precision null with no prediction,
    /// recall null with no positive label, F1 null when either is.</summary>
    /// <param name="truePositives">Predicted and labelled positive.</param>
    /// <param name="predicted">Predicted positive.</param>
    /// <param name="expected">Labelled positive.</param>
    /// <param name="labelled">Labelled runs.</param>
    public static (double? Precision, double? Recall, double? F1) Scores(int truePositives, int predicted, int expected, int labelled)
    {
        if (labelled == 0)
        {
            return (null, null, null);
        }

        double? precision = predicted == 0 ? null : truePositives / (double)predicted;
        double? recall = expected == 0 ? null : truePositives / (double)expected;
        double? f1 = precision is { } p && recall is { } r ? (p + r == 0 ? 0 : 2 * p * r / (p + r)) : null;
        return (precision, recall, f1);
    }

    private static bool IsTag(string type) =>
        type.StartsWith(TagTypes.TopicPrefix, StringComparison.Ordinal) || TagTypes.Outcomes.Contains(type)
        || type is TagTypes.CustomerRepeatedQuestion or TagTypes.ConfusedCustomer or TagTypes.Escalation;
}
