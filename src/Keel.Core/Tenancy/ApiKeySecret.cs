using System.Security.Cryptography;
using System.Text;

namespace Keel.Tenancy;

/// <summary>The format of Keel API keys: <c>keel_&lt;id&gt;_&lt;secret&gt;</c>, where the id (12 hex digits) is public and looked up,
/// and the secret (32 random bytes, base64url) is stored only as its SHA-256 and compared in constant time.</summary>
public static class ApiKeySecret
{
    private const string Prefix = "keel_";

    /// <summary>Makes a new key from the system's cryptographic random number generator.</summary>
    /// <returns>The key id, the full key to hand out once, and the hash to store.</returns>
    public static (string Id, string Key, string SecretSha256) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key into id and secret.</summary>
    /// <param name="key">The key from the <c>Authorization: Bearer</c> header.</param>
    /// <param name="id">The key id.</param>
    /// <param name="secret">The secret.</param>
    /// <returns>Whether the key has Keel's shape.</returns>
    public static bool TryParse(string? key, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return false;
        }

        var separator = key.IndexOf('_', Prefix.Length);
        if (separator <= Prefix.Length || separator == key.Length - 1)
        {
            return false;
        }

        id = key[Prefix.Length..separator];
        secret = key[(separator + 1)..];
        return true;
    }

    /// <summary>The stored form of a secret: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
    /// <param name="secret">The secret.</param>
    /// <returns>64 hex digits.</returns>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedSha256"/>, compared in constant time.</summary>
    /// <param name="secret">The presented secret.</param>
    /// <param name="storedSha256">The stored hash.</param>
    /// <returns>Whether they match.</returns>
    public static bool Matches(string secret, string storedSha256) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedSha256));
}
