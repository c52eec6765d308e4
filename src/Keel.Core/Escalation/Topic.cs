namespace Keel.Escalation;

/// <summary>One topic of an agent's taxonomy (<c>topics:</c> in <c>escalation.yaml</c>): the phrases that name it in a customer's
/// words, taken from a section of the domain's policy document.</summary>
/// <param name="Name">Topic name, e.g. <c>mobile_data</c>; tagged as <c>topic:&lt;name&gt;</c>.</param>
/// <param name="Phrases">Lower-case phrases matched on word boundaries, e.g. <c>mobile data</c>.</param>
/// <param name="Sensitive">Whether the topic is sensitive (escalation rules read it as <c>topic.sensitive</c>). The default is <see langword="false"/>.</param>
/// <param name="Section">The policy document section the phrases come from, for a reader; <see langword="null"/> when not given.</param>
public sealed record Topic(string Name, IReadOnlyList<string> Phrases, bool Sensitive = false, string? Section = null);
