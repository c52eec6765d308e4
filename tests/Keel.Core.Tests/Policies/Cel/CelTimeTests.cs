using Keel.Policies.Cel;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Policies.Cel;

public sealed class CelTimeTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2024-05-01T09:30:00Z", "2024-05-01T09:30:00+00:00")]
    [InlineData("2024-05-01T11:30:00+02:00", "2024-05-01T09:30:00+00:00")]
    [InlineData("2024-05-01T09:30:00.123456789Z", "2024-05-01T09:30:00.1234567+00:00")]
    [InlineData("2024-05-01T09:30:00", "2024-05-01T09:30:00+00:00")]
    [InlineData("2024-05-01T09:30Z", "2024-05-01T09:30:00+00:00")]
    [InlineData("2024-05-01 09:30:00Z", "2024-05-01T09:30:00+00:00")]
    [InlineData("2024-05-01", "2024-05-01T00:00:00+00:00")]
    public void Evaluate_Timestamp_ParsesRfc3339AndIsoForms(string text, string expected)
    {
        var value = Cel.Eval("timestamp(s)", ("s", text)).ShouldBeOfType<DateTimeOffset>();
        value.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("05/01/2024")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("yesterday")]
    public void Evaluate_TimestampOfBadString_ReturnsError(string text) =>
        Cel.ErrorOf("timestamp(s)", ("s", text))
            .ShouldBe($"cannot parse timestamp '{text}'; expected RFC 3339 such as '2024-05-01T12:00:00Z'");

    [Theory]
    [InlineData("24h", 24 * 3600.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("90s", 90.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("-2m", -120.0)]
    [InlineData("250ms", 0.25)]
    [InlineData("1m0.5s", 60.5)]
    [InlineData("0", 0.0)]
    [InlineData("1500us", 0.0015)]
    public void Evaluate_Duration_ParsesCelFormat(string text, double seconds) =>
        Cel.Eval("duration(s)", ("s", text)).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("24")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("")]
    [InlineData("1h 30m")]
    [InlineData("99999999999999999999h")]
    [InlineData("300000000h")]
    public void Evaluate_DurationOfBadString_ReturnsError(string text) =>
        Cel.ErrorOf("duration(s)", ("s", text))
            .ShouldBe($"cannot parse duration '{text}'; expected a number and unit such as '24h', '1h30m', '90s' or '1.5h'");

    [Theory]
    [InlineData("2024-05-01T10:00:00Z", true)]
    [InlineData("2024-05-01T08:59:59Z", false)]
    public void Evaluate_RecentCheck_ComparesElapsedDuration(string createdAt, bool expected)
    {
        var r = new Dictionary<string, object?> { ["created_at"] = createdAt };
        Cel.Eval("now - timestamp(r.created_at) <= duration('24h')", ("now", Now), ("r", r)).ShouldBe(expected);
    }

    [Fact]
    public void Evaluate_TimestampArithmetic_ProducesTimestampsAndDurations()
    {
        Cel.Eval("now + duration('1h')", ("now", Now)).ShouldBe(Now.AddHours(1));
        Cel.Eval("now - duration('90m')", ("now", Now)).ShouldBe(Now.AddMinutes(-90));
        Cel.Eval("duration('1h') + now", ("now", Now)).ShouldBe(Now.AddHours(1));
        Cel.Eval("now - timestamp('2024-05-01T09:00:00Z')", ("now", Now)).ShouldBe(TimeSpan.FromDays(1));
        Cel.Eval("duration('1h') + duration('30m') - duration('15m')").ShouldBe(TimeSpan.FromMinutes(75));
    }

    [Fact]
    public void Evaluate_TimestampComparisons_CompareInstants()
    {
        Cel.Eval("timestamp('2024-05-01T11:00:00+02:00') == timestamp('2024-05-01T09:00:00Z')").ShouldBe(true);
        Cel.Eval("timestamp('2024-05-01T00:00:00Z') < now", ("now", Now)).ShouldBe(true);
        Cel.Eval("duration('90s') > duration('1m')").ShouldBe(true);
    }

    [Fact]
    public void Evaluate_TimestampOverflow_ReturnsError() =>
        Cel.ErrorOf("timestamp('9999-12-31T00:00:00Z') + duration('48h')").ShouldBe("timestamp out of range");

    [Fact]
    public void Evaluate_TimeMismatch_ReturnsNoSuchOverload()
    {
        Cel.ErrorOf("now + now", ("now", Now)).ShouldBe("no such overload: timestamp + timestamp");
        Cel.ErrorOf("now - 5", ("now", Now)).ShouldBe("no such overload: timestamp - int");
        Cel.ErrorOf("now < duration('1h')", ("now", Now)).ShouldBe("no such overload: timestamp < duration");
    }

    [Theory]
    [InlineData("t.getFullYear()", 2024L)]
    [InlineData("t.getMonth()", 4L)]
    [InlineData("t.getDate()", 2L)]
    [InlineData("t.getDayOfMonth()", 1L)]
    [InlineData("t.getDayOfWeek()", 4L)]
    [InlineData("t.getDayOfYear()", 122L)]
    [InlineData("t.getHours()", 23L)]
    [InlineData("t.getMinutes()", 45L)]
    [InlineData("t.getSeconds()", 30L)]
    [InlineData("t.getMilliseconds()", 250L)]
    [InlineData("t.getHours('+02:00')", 1L)]
    [InlineData("t.getDate('+02:00')", 3L)]
    [InlineData("t.getHours('-05:30')", 18L)]
    [InlineData("t.getHours('UTC')", 23L)]
    public void Evaluate_TimestampAccessor_ReadsUtcOrGivenZone(string source, long expected) =>
        Cel.Eval(source, ("t", new DateTimeOffset(2024, 5, 2, 23, 45, 30, 250, TimeSpan.Zero))).ShouldBe(expected);

    [Fact]
    public void Evaluate_TimestampAccessorWithIanaZone_AppliesDaylightSaving()
    {
        var summer = new DateTimeOffset(2024, 7, 1, 12, 0, 0, TimeSpan.Zero);
        Cel.Eval("t.getHours('Europe/Paris')", ("t", summer)).ShouldBe(14L);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("../../../etc/passwd")]
    [InlineData("+25:00")]
    [InlineData("+2")]
    public void Evaluate_TimestampAccessorWithUnknownZone_ReturnsError(string zone) =>
        Cel.ErrorOf("t.getHours(z)", ("t", Now), ("z", zone))
            .ShouldBe($"unknown time zone '{zone}'; use 'UTC', an offset such as '+02:00', or an IANA name such as 'Europe/Paris'");

    [Theory]
    [InlineData("duration('1h30m').getHours()", 1L)]
    [InlineData("duration('1h30m').getMinutes()", 90L)]
    [InlineData("duration('1h30m').getSeconds()", 5400L)]
    [InlineData("duration('1.5s').getMilliseconds()", 1500L)]
    public void Evaluate_DurationAccessor_ReturnsTotalInUnit(string source, long expected) =>
        Cel.Eval(source).ShouldBe(expected);

    [Fact]
    public void Evaluate_AccessorOnWrongType_ReturnsError()
    {
        Cel.ErrorOf("'x'.getHours()").ShouldBe("no such overload: string.getHours()");
        Cel.ErrorOf("duration('1h').getFullYear()").ShouldBe("no such overload: duration.getFullYear()");
    }

    [Fact]
    public void Evaluate_TimestampFromUnixSeconds_ReturnsInstant() =>
        Cel.Eval("timestamp(86400)").ShouldBe(new DateTimeOffset(1970, 1, 2, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Evaluate_DateTimeVariable_IsReadAsTimestamp() =>
        Cel.Eval("d == timestamp('2024-05-02T09:00:00Z')", ("d", new DateTime(2024, 5, 2, 9, 0, 0, DateTimeKind.Utc))).ShouldBe(true);
}
