using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Audit;

/// <summary>The hashes of the audit chain: each stored event carries the hash of the event before it in its run, and each
/// store commit appends a ledger row carrying the hash of the row before it in its workspace (format in <c>docs/audit.md</c>).</summary>
/// <remarks>
/// <para>A hash is SHA-256 (FIPS 180-4) written as <c>sha256:</c> and 64 lower-case hex digits. Its input is unambiguous: a
/// domain tag, then every field in a fixed order, each string as its UTF-8 byte count (4 bytes, big-endian) followed by the
/// bytes, each integer as 8 bytes big-endian, so no two different records encode the same way (<c>"ab"+"c"</c> differs from
/// <c>"a"+"bc"</c>).</para>
/// <para>Times are hashed as UTC text with seven fractional digits, <c>2024-05-01T10:00:00.0000000Z</c>, the form the stores write.
/// The chain has no key: it proves records were not changed, removed or reordered after they were written, as long as the
/// newest head hash is known from somewhere else (see <c>docs/audit.md</c>). Thread-safe.</para>
/// </remarks>
public static class AuditHash
{
    /// <summary>The prefix of every hash: <c>sha256:</c>.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Length of a hash in characters: 71 (<see cref="Prefix"/> and 64 hex digits).</summary>
    public const int Length = 71;

    /// <summary>The UTC time format hashed and stored: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private const string EventTag = "keel.audit.event.v1";
    private const string RunGenesisTag = "keel.audit.run-genesis.v1";
    private const string LedgerTag = "keel.audit.ledger.v1";
    private const string LedgerGenesisTag = "keel.audit.ledger-genesis.v1";
    private const string VersionTag = "keel.audit.version.v1";
    private const string VersionGenesisTag = "keel.audit.version-genesis.v1";

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>The previous hash of a run's first event: <c>SHA-256("keel.audit.run-genesis.v1", workspace, run)</c>, so a
    /// run's chain cannot be moved to another run or workspace.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static string RunGenesis(string workspaceId, string runId)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(runId);
        var input = new Input(RunGenesisTag).Text(workspaceId).Text(runId);
        return input.Finish();
    }

    /// <summary>The previous hash of a workspace's first ledger row: <c>SHA-256("keel.audit.ledger-genesis.v1", workspace)</c>.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="workspaceId"/> is <see langword="null"/>.</exception>
    public static string LedgerGenesis(string workspaceId)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return new Input(LedgerGenesisTag).Text(workspaceId).Finish();
    }

    /// <summary>The hash of a stored event: tag, previous hash, workspace, run, sequence, kind, UTC time, payload.</summary>
    /// <param name="previousHash">The hash of the event before it in the run, or <see cref="RunGenesis"/> for the first.</param>
    /// <param name="workspaceId">The workspace.</param>
    /// <param name="runId">The run.</param>
    /// <param name="sequence">The event's 1-based sequence number in the run.</param>
    /// <param name="kind">The snake_case kind, e.g. <c>tool_call</c>.</param>
    /// <param name="timestamp">The event's time (hashed in UTC, see <see cref="TimestampFormat"/>).</param>
    /// <param name="payloadJson">The event's JSON exactly as stored (after redaction).</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException">A string argument is <see langword="null"/>.</exception>
    public static string Event(string previousHash, string workspaceId, string runId, long sequence, string kind, DateTimeOffset timestamp, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(workspaceId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(payloadJson);
        return new Input(EventTag, (payloadJson.Length * 3) + 512)
            .Text(previousHash).Text(workspaceId).Text(runId).Number(sequence).Text(kind).Time(timestamp).Text(payloadJson)
            .Finish();
    }

    /// <summary>The hash of a ledger row: tag, previous hash, workspace, ledger sequence, run, commit kind, first and last event
    /// sequence, run head hash, commit time.</summary>
    /// <param name="previousHash">The hash of the workspace's previous ledger row, or <see cref="LedgerGenesis"/> for the first.</param>
    /// <param name="row">The row; its <see cref="AuditLedgerRecord.PreviousHash"/> and <see cref="AuditLedgerRecord.Hash"/> are not read.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static string Ledger(string previousHash, AuditLedgerRecord row)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(row);
        return new Input(LedgerTag)
            .Text(previousHash).Text(row.WorkspaceId).Number(row.Sequence).Text(row.RunId).Text(AuditLedgerRecord.CommitName(row.Commit))
            .Number(row.FirstEventSequence).Number(row.LastEventSequence).Text(row.RunHeadHash).Time(row.CommittedAt)
            .Finish();
    }

    /// <summary>The previous hash of a workspace's first version-history entry: <c>SHA-256("keel.audit.version-genesis.v1", workspace)</c>.</summary>
    /// <param name="workspaceId">The workspace.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="workspaceId"/> is <see langword="null"/>.</exception>
    public static string VersionGenesis(string workspaceId)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        return new Input(VersionGenesisTag).Text(workspaceId).Finish();
    }

    /// <summary>The hash of a version-history entry (<see cref="Versions.VersionEvent"/>): tag, previous hash, workspace, sequence,
    /// agent, action, version hash, actor, time, detail.</summary>
    /// <param name="entry">The entry; its <see cref="Versions.VersionEvent.Hash"/> is not read.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    public static string VersionEvent(Versions.VersionEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new Input(VersionTag, 1024)
            .Text(entry.PreviousHash).Text(entry.WorkspaceId).Number(entry.Sequence).Text(entry.Agent).Text(entry.Action)
            .Text(entry.VersionHash).Text(entry.Actor).Time(entry.At).Text(entry.Detail)
            .Finish();
    }

    /// <summary>Whether a text has the form of a hash: <see cref="Prefix"/> and 64 lower-case hex digits.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Whether it is well-formed (not whether it is right).</returns>
    public static bool IsWellFormed(string? text) =>
        text is { Length: Length } && text.StartsWith(Prefix, StringComparison.Ordinal)
        && !text.AsSpan(Prefix.Length).ContainsAnyExcept(s_hexDigits);

    /// <summary>The bytes hashed, built in a pooled buffer.</summary>
    private ref struct Input
    {
        private byte[] _buffer;
        private int _length;

        public Input(string tag, int capacity = 256)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(capacity);
            _length = 0;
            Text(tag);
        }

        public Input Text(scoped ReadOnlySpan<char> value)
        {
            Ensure(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
            var byteCount = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
            BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), byteCount);
            _length += 4 + byteCount;
            return this;
        }

        public Input Time(DateTimeOffset value)
        {
            Span<char> text = stackalloc char[28];
            value.UtcDateTime.TryFormat(text, out var written, TimestampFormat, CultureInfo.InvariantCulture);
            return Text(text[..written]);
        }

        public Input Number(long value)
        {
            Ensure(8);
            BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
            _length += 8;
            return this;
        }

        public readonly string Finish()
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(_buffer.AsSpan(0, _length), hash);
            ArrayPool<byte>.Shared.Return(_buffer);
            return string.Concat(Prefix, Convert.ToHexStringLower(hash));
        }

        private void Ensure(int more)
        {
            if (_length + more <= _buffer.Length)
            {
                return;
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }
}
