using System.Globalization;
using System.Text;

namespace Keel.Server.Tests.Fuzz;

/// <summary>The fuzz run's figures: requests, answers by status, by endpoint and by mutation, and the violations found.</summary>
internal sealed class FuzzStats
{
    private readonly SortedDictionary<string, SortedDictionary<int, int>> _byEndpoint = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _byMutation = new(StringComparer.Ordinal);

    public int Requests { get; private set; }

    public int ServerErrors { get; private set; }

    public int Replayed { get; private set; }

    public SortedDictionary<int, int> Statuses { get; } = [];

    /// <summary>The first 50 violations, described.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Every violation, counted by what it broke.</summary>
    public SortedDictionary<string, int> ViolationsByKind { get; } = new(StringComparer.Ordinal);

    public void Record(FuzzRequest request, GatewayFuzzTests.Answer answer)
    {
        Requests++;
        Statuses[answer.Status] = Statuses.GetValueOrDefault(answer.Status) + 1;
        if (!_byEndpoint.TryGetValue(request.Endpoint, out var statuses))
        {
            _byEndpoint[request.Endpoint] = statuses = [];
        }

        statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
        foreach (var mutation in request.Mutation.Split('+'))
        {
            _byMutation[mutation] = _byMutation.GetValueOrDefault(mutation) + 1;
        }
        if (answer.Status >= 500)
        {
            ServerErrors++;
        }

        if (answer.Replayed)
        {
            Replayed++;
        }
    }

    public void Violation(FuzzRequest request, GatewayFuzzTests.Answer answer, string kind, string what)
    {
        ViolationsByKind[kind] = ViolationsByKind.GetValueOrDefault(kind) + 1;
        if (Violations.Count < 50)
        {
            var body = request.Body is null ? "(none)" : Encoding.UTF8.GetString(request.Body[..Math.Min(request.Body.Length, 300)]);
            Violations.Add($"#{Requests} {request.Method} {request.Path} as {request.Client.Name} [{request.ContentType}] key={request.IdempotencyKey} body={body} => {answer.Status}: {what}");
        }
    }

    public string Markdown(int seed, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"requests: {Requests}, seed {seed}, {elapsed.TotalSeconds:0.0} s ({Requests / Math.Max(elapsed.TotalSeconds, 0.001):0} requests/s), 5xx: {ServerErrors}, replayed answers: {Replayed}, violations: {ViolationsByKind.Values.Sum()}");
        text.AppendLine();
        text.AppendLine("| status | answers |");
        text.AppendLine("|---:|---:|");
        foreach (var (status, count) in Statuses)
        {
            text.AppendLine(invariant, $"| {status} | {count} |");
        }

        text.AppendLine();
        text.AppendLine("| endpoint | answers by status |");
        text.AppendLine("|---|---|");
        foreach (var (endpoint, statuses) in _byEndpoint)
        {
            text.AppendLine(invariant, $"| {endpoint} | {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))} |");
        }

        text.AppendLine();
        text.AppendLine("| body mutation (a body may have up to three) | requests |");
        text.AppendLine("|---|---:|");
        foreach (var (mutation, count) in _byMutation)
        {
            text.AppendLine(invariant, $"| {mutation} | {count} |");
        }

        if (ViolationsByKind.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| violation | count |");
            text.AppendLine("|---|---:|");
            foreach (var (kind, count) in ViolationsByKind)
            {
                text.AppendLine(invariant, $"| {kind} | {count} |");
            }

            text.AppendLine();
        }

        foreach (var violation in Violations)
        {
            text.AppendLine(violation);
        }

        return text.ToString();
    }
}
