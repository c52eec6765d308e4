using System.Buffers;
using System.Text.Json;

namespace Keel.Importers;

/// <summary>
/// Reads a JSON file token by token and hands out one <see cref="JsonDocument"/> per record, so an importer parses
/// each run record once and holds at most one record (plus a read buffer) in memory, never the whole file.
/// </summary>
/// <remarks>
/// The buffer (rented from <see cref="ArrayPool{T}.Shared"/>) starts at 64 KiB and doubles whenever a single value does not fit. Malformed or truncated JSON surfaces as
/// <see cref="JsonException"/> (with the reader's 0-based line and byte-in-line position) from the call that reaches it;
/// everything read before that point stays valid. Not thread-safe: one reader per file read.
/// </remarks>
internal sealed class JsonRecordStream : IAsyncDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private bool _started;
    private JsonReaderState _state;

    private JsonRecordStream(Stream stream) => _stream = stream;

    /// <summary>The name read by the last <see cref="ReadTokenAsync"/> that returned <see cref="JsonTokenType.PropertyName"/>.</summary>
    public string? PropertyName { get; private set; }

    /// <summary>File byte offset of the first byte not yet consumed (where the next token or record starts, give or take whitespace).</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Opens a file for sequential asynchronous reading.</summary>
    /// <param name="path">The file path.</param>
    /// <returns>The reader; dispose it to close the file.</returns>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static JsonRecordStream Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true));

    /// <summary>Reads the next token (entering objects and arrays); <see cref="JsonTokenType.None"/> at the end of the data.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token type.</returns>
    /// <exception cref="JsonException">The data is not valid JSON at this point.</exception>
    public async ValueTask<JsonTokenType> ReadTokenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadToken(out var type))
            {
                return type;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Reads the next array element as a document, or consumes the closing <c>]</c> and returns <see langword="null"/>.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The element (the caller disposes it), or <see langword="null"/> at the end of the array.</returns>
    /// <exception cref="JsonException">The data is not valid JSON at this point (for example a truncated file).</exception>
    public async ValueTask<JsonDocument?> ReadElementAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadValue(allowEndArray: true, out var document))
            {
                return document;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Reads the next value (after a property name or inside an array) as a document.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The value (the caller disposes it).</returns>
    /// <exception cref="JsonException">The data is not valid JSON at this point.</exception>
    public async ValueTask<JsonDocument> ReadValueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadValue(allowEndArray: false, out var document))
            {
                return document!;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Skips the next value (after a property name) without building a document.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The type of the value's first token.</returns>
    /// <exception cref="JsonException">The data is not valid JSON at this point.</exception>
    public async ValueTask<JsonTokenType> SkipValueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TrySkipValue(out var type))
            {
                return type;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return _stream.DisposeAsync();
    }

    private bool TryReadToken(out JsonTokenType type)
    {
        var reader = CreateReader();
        if (!reader.Read())
        {
            type = JsonTokenType.None;
            return _eof;
        }

        type = reader.TokenType;
        PropertyName = type == JsonTokenType.PropertyName ? reader.GetString() : null;
        Commit(ref reader);
        return true;
    }

    private bool TryReadValue(bool allowEndArray, out JsonDocument? document)
    {
        document = null;
        var reader = CreateReader();
        if (!reader.Read())
        {
            return false;
        }

        if (allowEndArray && reader.TokenType == JsonTokenType.EndArray)
        {
            Commit(ref reader);
            return true;
        }

        if (!JsonDocument.TryParseValue(ref reader, out document))
        {
            return false;
        }

        Commit(ref reader);
        return true;
    }

    private bool TrySkipValue(out JsonTokenType type)
    {
        var reader = CreateReader();
        if (!reader.Read())
        {
            type = JsonTokenType.None;
            return false;
        }

        type = reader.TokenType;
        if (!reader.TrySkip())
        {
            return false;
        }

        Commit(ref reader);
        return true;
    }

    private Utf8JsonReader CreateReader() => new(_buffer.AsSpan(_start, _end - _start), _eof, _state);

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            // With isFinalBlock the reader throws on incomplete input, so reaching here means an unexpected end.
            throw new JsonException($"Unexpected end of data at file byte {Position}.");
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        _end += read;
        if (!_started)
        {
            _started = true;
            SkipByteOrderMark();
        }
    }

    private void SkipByteOrderMark()
    {
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3;
        }
    }
}
