using Keel.Importers;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Importers;

public sealed class DomainClockTests
{
    [Theory]
    [InlineData("# Airline Agent Policy\n\nThe current time is 2024-05-15 15:00:00 EST.\n\nAs an airline agent", "2024-05-15T15:00:00-05:00")]
    [InlineData("The current time is 2024-07-04 09:30:00 EDT.", "2024-07-04T09:30:00-04:00")]
    [InlineData("The current time is 2024-01-02 08:00:00 CST.", "2024-01-02T08:00:00-06:00")]
    [InlineData("The current time is 2024-07-02 08:00:00 CDT.", "2024-07-02T08:00:00-05:00")]
    [InlineData("The current time is 2024-01-02 08:00:00 MST.", "2024-01-02T08:00:00-07:00")]
    [InlineData("The current time is 2024-07-02 08:00:00 MDT.", "2024-07-02T08:00:00-06:00")]
    [InlineData("The current time is 2024-01-02 08:00:00 PST.", "2024-01-02T08:00:00-08:00")]
    [InlineData("The current time is 2024-07-02 08:00:00 PDT.", "2024-07-02T08:00:00-07:00")]
    [InlineData("The current time is 2024-07-02 08:00:00 UTC.", "2024-07-02T08:00:00+00:00")]
    [InlineData("the current time is 2024-07-02 08:00 GMT", "2024-07-02T08:00:00+00:00")]
    [InlineData("The current time is 2025-02-25 12:08:00.", "2025-02-25T12:08:00+00:00")]
    public void TryFindStatedTime_Sentence_ReturnsTimeWithZoneOffset(string text, string expected)
    {
        DomainClock.TryFindStatedTime(text, out var time).ShouldBeTrue();

        time.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        time.Offset.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("# Retail agent policy\n\nAs a retail agent, you can help users")]
    [InlineData("The current time is 2024-05-15 15:00:00 CET.")]
    [InlineData("The current time is 2024-13-45 15:00:00 EST.")]
    public void TryFindStatedTime_NoUsableSentence_ReturnsFalse(string? text) =>
        DomainClock.TryFindStatedTime(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("2025-08-01T15:55:25.386355", "2025-08-01T15:55:25.386355+00:00")]
    [InlineData("2025-08-01T15:55:25+02:00", "2025-08-01T15:55:25+02:00")]
    public void TryParseTimestamp_NaiveOrOffset_TreatsNaiveAsUtc(string text, string expected)
    {
        DomainClock.TryParseTimestamp(text, out var time).ShouldBeTrue();

        time.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        time.Offset.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset);
    }
}
