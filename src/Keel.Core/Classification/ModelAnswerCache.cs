using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Classification;

/// <summary>Validated model answers by content hash: in memory, and optionally one file per answer in a folder so a later process
/// pays for nothing it already asked. Only answers that passed validation are stored, so a malformed answer is asked again next
/// time. Thread-safe.</summary>
/// <remarks>The key (<see cref="Key"/>) is the SHA-256 of the model id, the prompt version and the whole prompt text, so a new model,
/// a changed prompt or a changed conversation never reads an old answer. A file is written to a temporary name and renamed, so a
/// crash never leaves half an answer under a key.</remarks>
public sealed class ModelAnswerCache
{
    private readonly ConcurrentDictionary<string, string> _memory = new(StringComparer.Ordinal);
    private readonly string? _directory;
    private long _fileWriteFailures;

    /// <summary>Creates a cache.</summary>
    /// <param name="directory">The folder of the file cache (created when missing), or <see langword="null"/> for memory only. The default is <see langword="null"/>.</param>
    /// <exception cref="IOException">The folder cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be created.</exception>
    public ModelAnswerCache(string? directory = null)
    {
        if (directory is not null)
        {
            _directory = Path.GetFullPath(directory);
            System.IO.Directory.CreateDirectory(_directory);
        }
    }

    /// <summary>The file cache's folder, or <see langword="null"/> for memory only.</summary>
    public string? Folder => _directory;

    /// <summary>Answers that could not be written to the file cache (kept in memory only); 0 without a file cache.</summary>
    public long FileWriteFailures => Interlocked.Read(ref _fileWriteFailures);

    /// <summary>The cache key of one question.</summary>
    /// <param name="modelId">The model asked, e.g. <c>gpt-4.1-mini</c>.</param>
    /// <param name="promptVersion">The version of the prompt's wording, e.g. <c>keel-classifier-1</c>.</param>
    /// <param name="content">The whole prompt text sent.</param>
    /// <returns>64 lower-case hex digits: SHA-256 over the three fields, each UTF-8 and prefixed by its byte length.</returns>
    public static string Key(string modelId, string promptVersion, string content)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        ArgumentNullException.ThrowIfNull(promptVersion);
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in (ReadOnlySpan<string>)[modelId, promptVersion, content])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Looks an answer up: memory first, then the file cache.</summary>
    /// <param name="key">The key (<see cref="Key"/>).</param>
    /// <param name="answer">The stored answer text when found.</param>
    /// <returns>Whether an answer is stored under the key. An unreadable file counts as not stored.</returns>
    public bool TryGet(string key, out string answer)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_memory.TryGetValue(key, out answer!))
        {
            return true;
        }

        if (_directory is null)
        {
            return false;
        }

        try
        {
            answer = File.ReadAllText(PathOf(key), Encoding.UTF8);
            _memory.TryAdd(key, answer);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            answer = string.Empty;
            return false;
        }
    }

    /// <summary>Stores a validated answer in memory and, with a file cache, in <c>{directory}/{key}.json</c>. A file that cannot be
    /// written is counted in <see cref="FileWriteFailures"/>; the answer stays in memory.</summary>
    /// <param name="key">The key (<see cref="Key"/>).</param>
    /// <param name="answer">The answer text.</param>
    public void Set(string key, string answer)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(answer);
        _memory[key] = answer;
        if (_directory is null)
        {
            return;
        }

        var path = PathOf(key);
        var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            File.WriteAllText(temporary, answer, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _fileWriteFailures);
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Counted above; a stray temporary file is harmless (never read as an answer).
            }
        }
    }

    private string PathOf(string key) => Path.Combine(_directory!, key + ".json");
}
