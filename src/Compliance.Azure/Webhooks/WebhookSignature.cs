using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Compliance.Azure.Webhooks;

/// <summary>
/// The signature of a webhook body: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes, keyed
/// with the UTF-8 bytes of the shared secret. A receiver verifies it with <see cref="Verify"/> before trusting a
/// body.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The request header that carries the signature.</summary>
    public const string HeaderName = "X-Compliance-Signature";

    /// <summary>What the header value starts with: the name of the hash.</summary>
    public const string Prefix = "sha256=";

    private const int HashBytes = 32;

    /// <summary>Signs <paramref name="body"/>: returns the value of the <see cref="HeaderName"/> header.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> hash = stackalloc byte[HashBytes];
        Compute(secret, body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Whether <paramref name="signatureHeader"/> is the signature of <paramref name="body"/> with
    /// <paramref name="secret"/>. The comparison takes the same time wherever the values differ, so a caller cannot
    /// find a valid signature byte by byte; a missing or malformed header is <c>false</c>.
    /// </summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signatureHeader)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (signatureHeader is null || !signatureHeader.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = signatureHeader.AsSpan(Prefix.Length);
        Span<byte> presented = stackalloc byte[HashBytes];
        if (hex.Length != HashBytes * 2
            || Convert.FromHexString(hex, presented, out _, out var written) != OperationStatus.Done
            || written != HashBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        Compute(secret, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static void Compute(string secret, ReadOnlySpan<byte> body, Span<byte> hash)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        try
        {
            HMACSHA256.HashData(key, body, hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
