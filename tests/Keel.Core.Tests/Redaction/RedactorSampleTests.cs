using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Tests.Bundles;
using Keel.Redaction;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Redaction;

/// <summary>The redactor on the shipped real data: what must go does, what must stay does.</summary>
public sealed partial class RedactorSampleTests
{
    [Fact]
    public void RedactJson_TauRetailUsers_EveryEmailGoneOrderIdsKept()
    {
        var text = File.ReadAllText(RepoPaths.Sample("tau-retail", "db", "users.json"));
        using var original = JsonDocument.Parse(text);

        var redacted = Redactor.Default.RedactJson(text);

        using var parsed = JsonDocument.Parse(redacted);
        var users = parsed.RootElement.EnumerateObject().ToList();
        users.Count.ShouldBe(original.RootElement.EnumerateObject().Count());
        users.ShouldAllBe(u => u.Value.GetProperty("email").GetString() == "[redacted:email]");
        redacted.ShouldNotContain("@");
        OrderIds().Count(redacted).ShouldBe(OrderIds().Count(text));
        Labels().Matches(redacted).Select(m => m.Groups[1].Value).Distinct().ShouldBe(["email"]);
    }

    [Fact]
    public void RedactJson_TauRetailOrders_NothingRedacted()
    {
        var text = File.ReadAllText(RepoPaths.Sample("tau-retail", "db", "orders.json"));

        Redactor.Default.RedactJson(text).ShouldBeSameAs(text);
    }

    [Fact]
    public void Redact_TauBenchAirlineRuns_OnlyEmailsRedacted()
    {
        var text = File.ReadAllText(RepoPaths.AirlineRuns);

        var redacted = Redactor.Default.Redact(text);

        Labels().Matches(redacted).Select(m => m.Groups[1].Value).Distinct().ShouldBe(["email"]);
        redacted.ShouldNotContain("sophia.silva5929@example.com");
        redacted.ShouldContain("H8Q05L");
        using var _ = JsonDocument.Parse(redacted);
    }

    [Fact]
    public void Redact_Tau2TelecomRuns_PhoneNumbersRedacted()
    {
        var text = File.ReadAllText(RepoPaths.Sample("runs", "tau2-bench", "gpt-4.1_telecom_default_gpt-4.1_1trials.json"));
        text.ShouldContain("555-123-2002");

        var redacted = Redactor.Default.Redact(text);

        redacted.ShouldNotContain("555-123-2002");
        redacted.ShouldContain("\\\"phone_number\\\": \\\"[redacted:phone]\\\"");
        using var _ = JsonDocument.Parse(redacted);
    }

    [GeneratedRegex(@"#W\d{7}")]
    private static partial Regex OrderIds();

    [GeneratedRegex(@"\[redacted:([a-z]+)")]
    private static partial Regex Labels();
}
