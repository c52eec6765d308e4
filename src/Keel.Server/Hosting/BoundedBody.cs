namespace Keel.Server.Hosting;

/// <summary>Reads a request body into memory up to a size limit, so an oversized body is refused before it is all held.</summary>
internal static class BoundedBody
{
    /// <summary>The body's bytes, or <see langword="null"/> as soon as it is longer than <paramref name="limit"/> bytes.</summary>
    /// <param name="body">The stream (a request body, or its decompressed form).</param>
    /// <param name="limit">The most bytes accepted.</param>
    /// <param name="cancellationToken">Cancels the read (the request aborted).</param>
    /// <returns>The bytes read; <see langword="null"/> past the limit.</returns>
    /// <exception cref="IOException">The stream failed, e.g. broken gzip.</exception>
    public static async Task<byte[]?> ReadAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
