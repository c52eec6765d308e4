using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Keel.Audit;
using Shouldly;
using Xunit;

namespace Keel.Core.Tests.Audit;

public sealed class AuditHashTests
{
    private static readonly DateTimeOffset s_time = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public void Event_KnownInput_MatchesTheDocumentedEncoding()
    {
        // docs/audit.md: tag, then each field; strings as 4-byte big-endian UTF-8 length + bytes, integers as 8 bytes big-endian.
        var bytes = new List<byte>();
        void Text(string s)
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, utf8.Length);
            bytes.AddRange(length);
            bytes.AddRange(utf8);
        }

        Text("keel.audit.event.v1");
        Text("sha256:prev");
        Text("ws-a");
        Text("run-1");
        var sequence = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(sequence, 3);
        bytes.AddRange(sequence);
        Text("message");
        Text("2024-05-01T08:00:00.0000000Z");
        Text("{\"content\":\"é\"}");
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes.ToArray()));

        AuditHash.Event("sha256:prev", "ws-a", "run-1", 3, "message", s_time, "{\"content\":\"é\"}").ShouldBe(expected);
    }

    [Fact]
    public void Event_FieldBoundaryMoved_DifferentHash()
    {
        var a = AuditHash.Event("p", "ws-ab", "c", 1, "message", s_time, "{}");
        var b = AuditHash.Event("p", "ws-a", "bc", 1, "message", s_time, "{}");

        a.ShouldNotBe(b);
    }

    [Theory]
    [InlineData("prev")]
    [InlineData("workspace")]
    [InlineData("run")]
    [InlineData("sequence")]
    [InlineData("kind")]
    [InlineData("time")]
    [InlineData("payload")]
    public void Event_AnyFieldChanged_DifferentHash(string field)
    {
        var original = AuditHash.Event("p", "ws", "r", 1, "message", s_time, "{}");

        var changed = field switch
        {
            "prev" => AuditHash.Event("q", "ws", "r", 1, "message", s_time, "{}"),
            "workspace" => AuditHash.Event("p", "ws2", "r", 1, "message", s_time, "{}"),
            "run" => AuditHash.Event("p", "ws", "r2", 1, "message", s_time, "{}"),
            "sequence" => AuditHash.Event("p", "ws", "r", 2, "message", s_time, "{}"),
            "kind" => AuditHash.Event("p", "ws", "r", 1, "tool_call", s_time, "{}"),
            "time" => AuditHash.Event("p", "ws", "r", 1, "message", s_time.AddTicks(1), "{}"),
            _ => AuditHash.Event("p", "ws", "r", 1, "message", s_time, "{ }"),
        };

        changed.ShouldNotBe(original);
    }

    [Fact]
    public void Event_SameInstantOtherOffset_SameHash() =>
        AuditHash.Event("p", "ws", "r", 1, "message", s_time.ToOffset(TimeSpan.Zero), "{}")
            .ShouldBe(AuditHash.Event("p", "ws", "r", 1, "message", s_time, "{}"));

    [Fact]
    public void RunGenesis_OtherRunOrWorkspace_Differs()
    {
        var genesis = AuditHash.RunGenesis("ws", "r");

        AuditHash.IsWellFormed(genesis).ShouldBeTrue();
        AuditHash.RunGenesis("ws", "r2").ShouldNotBe(genesis);
        AuditHash.RunGenesis("ws2", "r").ShouldNotBe(genesis);
        AuditHash.LedgerGenesis("ws").ShouldNotBe(genesis);
    }

    [Theory]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("md5:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefab", false)]
    [InlineData(null, false)]
    public void IsWellFormed_Text_ChecksPrefixLengthAndDigits(string? text, bool expected) => AuditHash.IsWellFormed(text).ShouldBe(expected);
}
