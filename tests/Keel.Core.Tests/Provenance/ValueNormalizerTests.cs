using System.Text.Json;
using Keel.Provenance;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Provenance;

public sealed class ValueNormalizerTests
{
    [Theory]
    [InlineData("Please refund GB29 NWBK 6016 1331 9268 19 today", "iban", "GB29NWBK60161331926819")]
    [InlineData("send to US133000000121212121212.", "iban", "US133000000121212121212")]
    [InlineData("Mail Jay@Google.com now", "email", "jay@google.com")]
    [InlineData("see https://www.My-Website-234.com/random/ please", "url", "my-website-234.com/random")]
    [InlineData("read 'landlord-notices.txt'", "file", "landlord-notices.txt")]
    [InlineData("from the 13th to the 17th of May 2024", "date", "2024-05-17")]
    [InlineData("on May 1st, 2024 at noon", "date", "2024-05-01")]
    [InlineData("start 2024-05-30 10:20", "date", "2024-05-30")]
    [InlineData("start 2024-05-30 10:20", "time", "10:20")]
    [InlineData("Transfer $30,000 in total", "amount", "30000")]
    [InlineData("amount: 98.70", "amount", "98.7")]
    [InlineData("call +1 (555) 123-4567", "phone", "15551234567")]
    [InlineData("reservation ZFA04Y is confirmed", "id", "zfa04y")]
    public void Extract_CommonValue_IsNormalized(string text, string kind, string value) =>
        ValueNormalizer.Extract(text).ShouldContain(new ValueAtom(kind, value));

    [Fact]
    public void Extract_IbanWithAndWithoutSpaces_GiveTheSameAtom() =>
        ValueNormalizer.Extract("GB29 NWBK 6016 1331 9268 19").ShouldBe(ValueNormalizer.Extract("GB29NWBK60161331926819"));

    [Fact]
    public void Extract_EmailInAnyCase_GivesTheSameAtom() =>
        ValueNormalizer.Extract("Mark.Black-2134@Gmail.com").ShouldBe([new ValueAtom("email", "mark.black-2134@gmail.com")]);

    [Fact]
    public void Extract_IbanIsNotAlsoAPhoneOrAmount() =>
        ValueNormalizer.Extract("IBAN US133000000121212121212").Select(a => a.Kind).ShouldBe(["iban"]);

    [Fact]
    public void Extract_SmallIntegers_AreNotTraced() =>
        ValueNormalizer.Extract("give me 3 options").ShouldBeEmpty();

    [Fact]
    public void ForArgument_String_AddsTheWholeNormalizedText()
    {
        using var doc = JsonDocument.Parse("\"  Riverside   View Hotel. \"");
        ValueNormalizer.ForArgument(doc.RootElement).ShouldContain(new ValueAtom("text", "riverside view hotel"));
    }

    [Fact]
    public void ForArgument_Number_IsAnAmount()
    {
        using var doc = JsonDocument.Parse("100.50");
        ValueNormalizer.ForArgument(doc.RootElement).ShouldBe([new ValueAtom("amount", "100.5")]);
    }
}
