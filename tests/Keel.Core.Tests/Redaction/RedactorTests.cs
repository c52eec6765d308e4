using System.Text.Json;
using Keel.Redaction;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Redaction;

public sealed class RedactorTests
{
    private static readonly Redactor s_redactor = Redactor.Default;

    [Theory]
    [InlineData("mail ana.lopez+work@example.co.uk today", "mail [redacted:email] today")]
    [InlineData("noah.brown7922@example.com", "[redacted:email]")]
    public void Redact_Email_ReplacedByLabel(string text, string expected) => s_redactor.Redact(text).ShouldBe(expected);

    [Theory]
    [InlineData("call +44 20 7946 0958 now", "call [redacted:phone] now")]
    [InlineData("Phone: +33 1 23456789", "Phone: [redacted:phone]")]
    [InlineData("my number is 555-123-2002.", "my number is [redacted:phone].")]
    [InlineData("(555) 123-4567", "[redacted:phone]")]
    [InlineData("+1 555.123.4567", "[redacted:phone]")]
    [InlineData("ring 020 7946 0958", "ring [redacted:phone]")]
    [InlineData("appelle 01 23 45 67 89", "appelle [redacted:phone]")]
    public void Redact_PhoneNumber_ReplacedByLabel(string text, string expected) => s_redactor.Redact(text).ShouldBe(expected);

    [Theory]
    [InlineData("flight on 2024-05-15T10:00:00, return 2024-05-20")]
    [InlineData("order #W1234567 for $1,234.56 and 10.5 kg")]
    [InlineData("reservation H8Q05L, item 9612497925, zip 80279")]
    [InlineData("paid 11.1234567890123 USD by credit_card_7815826")]
    [InlineData("tracking 123456789012, gift_card_4332117")]
    [InlineData("epoch 1714557600000 ms")]
    [InlineData("ssn-like 123-45-6789 and 10:30 to 12:45")]
    public void Redact_DatesAmountsAndIds_Untouched(string text) => s_redactor.Redact(text).ShouldBeSameAs(text);

    [Theory]
    [InlineData("card 4242 4242 4242 4242 exp", "card [redacted:card ****4242] exp")]
    [InlineData("4111-1111-1111-1111", "[redacted:card ****1111]")]
    [InlineData("amex 378282246310005", "amex [redacted:card ****0005]")]
    public void Redact_CardNumber_ReplacedKeepingLastFour(string text, string expected) => s_redactor.Redact(text).ShouldBe(expected);

    [Theory]
    [InlineData("4242 4242 4242 4241")] // Luhn fails
    [InlineData("1234567890123452")] // Luhn passes, but no card issuer starts with 1
    [InlineData("4444444444444444")] // one repeated digit
    [InlineData("42 4242 4242 4242 42")] // groups of two are not how cards are written
    public void Redact_NotACardNumber_Untouched(string text) => s_redactor.Redact(text).ShouldBeSameAs(text);

    [Fact]
    public void Redact_KeepCardLastFourOff_LabelWithoutDigits()
    {
        var redactor = new Redactor(new RedactionOptions { KeepCardLastFour = false });

        redactor.Redact("4242424242424242").ShouldBe("[redacted:card]");
    }

    [Theory]
    [InlineData("key sk-proj-abcdefghijklmnopqrstuvwx1234")]
    [InlineData("stripe sk_live_51H8abcdefghijklmnop")]
    [InlineData("token ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("slack xoxb-123456789012-abcdefghij")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE")]
    [InlineData("keel keel_k1a2b3_s3cr3tS3cr3tS3cr3tXYZ")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    public void Redact_ApiKeyWithKnownPrefix_ReplacedBySecretLabel(string text)
    {
        var redacted = s_redactor.Redact(text);

        redacted.ShouldEndWith("[redacted:secret]");
        redacted.Split(' ')[0].ShouldBe(text.Split(' ')[0]);
    }

    [Theory]
    [InlineData("Authorization: Bearer abc.def-ghi_jkl123", "Authorization: Bearer [redacted:secret]")]
    [InlineData("password=hunter2&user=ana", "password=[redacted:secret]&user=ana")]
    [InlineData("API-Key: 'a b c d'", "API-Key: '[redacted:secret]'")]
    [InlineData("{'client_secret': 'xyz'}", "{'client_secret': '[redacted:secret]'}")]
    public void Redact_SecretByName_ValueReplaced(string text, string expected) => s_redactor.Redact(text).ShouldBe(expected);

    [Fact]
    public void Redact_PrivateKeyBlock_ReplacedWhole()
    {
        const string Text = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\nbye";

        s_redactor.Redact(Text).ShouldBe("key:\n[redacted:secret]\nbye");
    }

    [Fact]
    public void RedactJson_ObjectWithPersonalData_ValuesRedactedLayoutKept()
    {
        const string Json = "{\"email\": \"ana@example.com\", \"password\": 12345, \"token\": true, \"card\": 4242424242424242,\n \"order\": \"#W1234567\", \"price\": 12.5}";

        var redacted = s_redactor.RedactJson(Json);

        redacted.ShouldBe("{\"email\": \"[redacted:email]\", \"password\": \"[redacted:secret]\", \"token\": \"[redacted:secret]\", \"card\": \"[redacted:card ****4242]\",\n \"order\": \"#W1234567\", \"price\": 12.5}");
        using var parsed = JsonDocument.Parse(redacted);
        parsed.RootElement.GetProperty("order").GetString().ShouldBe("#W1234567");
    }

    [Fact]
    public void RedactJson_EscapedStringAndNestedJson_RedactsAndStaysValid()
    {
        var inner = JsonSerializer.Serialize(new { phone = "555-123-2002", note = "x" });
        var json = JsonSerializer.Serialize(new { output = inner, text = "line\n555-123-4567 \"quoted\"" });

        var redacted = s_redactor.RedactJson(json);

        using var parsed = JsonDocument.Parse(redacted);
        parsed.RootElement.GetProperty("text").GetString().ShouldBe("line\n[redacted:phone] \"quoted\"");
        using var nested = JsonDocument.Parse(parsed.RootElement.GetProperty("output").GetString()!);
        nested.RootElement.GetProperty("phone").GetString().ShouldBe("[redacted:phone]");
    }

    [Fact]
    public void Redact_TruncatedJson_RedactedAsText()
    {
        const string Text = "{\"email\":\"ana@example.com\",\"rest\":";

        s_redactor.Redact(Text).ShouldBe("{\"email\":\"[redacted:email]\",\"rest\":");
    }

    [Fact]
    public void Redact_TextWithBracesThatIsNotJson_RedactedAsText()
    {
        s_redactor.Redact("{note} write to ana@example.com").ShouldBe("{note} write to [redacted:email]");
    }

    [Theory]
    [InlineData("mail ana@example.com, card 4242 4242 4242 4242, password: x")]
    [InlineData("{\"password\": \"x\", \"to\": \"ana@example.com\", \"n\": 4242424242424242}")]
    public void Redact_RedactedText_Unchanged(string text)
    {
        var once = s_redactor.Redact(text);

        s_redactor.Redact(once).ShouldBe(once);
    }

    [Fact]
    public void Redact_NothingFound_ReturnsSameInstance()
    {
        const string Text = "Your reservation H8Q05L is confirmed for 2024-05-15.";

        s_redactor.Redact(Text).ShouldBeSameAs(Text);
    }

    [Fact]
    public void Redact_ValueOnAllowList_Kept()
    {
        var redactor = new Redactor(new RedactionOptions { AllowList = ["Support@Example.com"] });

        redactor.Redact("write support@example.com or ana@example.com").ShouldBe("write support@example.com or [redacted:email]");
    }

    [Fact]
    public void Redact_OwnPattern_ReplacedByItsName()
    {
        var redactor = new Redactor(new RedactionOptions { Patterns = [new RedactionPattern("employee_id", @"(?<=badge )\d{6}")] });

        redactor.Redact("badge 123456 at desk 7").ShouldBe("badge [redacted:employee_id] at desk 7");
    }

    [Fact]
    public void Redact_OwnPatternTimesOut_WholeTextRedacted()
    {
        var redactor = new Redactor(new RedactionOptions
        {
            Patterns = [new RedactionPattern("slow", "(a+)+$")],
            PatternTimeout = TimeSpan.FromMilliseconds(1),
        });

        redactor.Redact(new string('a', 5000) + "!").ShouldBe("[redacted:slow]");
    }

    [Fact]
    public void Redact_DetectorsTurnedOff_NothingRedacted()
    {
        var redactor = new Redactor(new RedactionOptions { Emails = false, PhoneNumbers = false, PaymentCards = false, Secrets = false });
        const string Text = "ana@example.com 555-123-4567 4242424242424242 password=x";

        redactor.Redact(Text).ShouldBeSameAs(Text);
    }

    [Fact]
    public void IsSecretKey_SpellingVariants_Recognised()
    {
        s_redactor.IsSecretKey("apiKey").ShouldBeTrue();
        s_redactor.IsSecretKey("API-KEY").ShouldBeTrue();
        s_redactor.IsSecretKey("tokens").ShouldBeFalse();
        s_redactor.IsSecretKey("reservation_id").ShouldBeFalse();
    }
}
