using System.Security.Cryptography;
using System.Text;

namespace Compliance.Server.Hosting;

/// <summary>
/// The read and operator keys of <c>compliance serve</c>, held only as their SHA-256 digests. A presented key is hashed
/// and its digest compared with both in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>): digests
/// always have the same length, so neither the comparison's time nor an early return tells a caller how long a key is
/// or how much of it was right.
/// </summary>
public sealed class ApiKeys
{
    private readonly byte[]? _read;
    private readonly byte[]? _operator;

    /// <summary>Keeps the digests of <paramref name="readKey"/> and <paramref name="operatorKey"/>; empty is none.</summary>
    public ApiKeys(string? readKey, string? operatorKey)
    {
        _read = DigestOrNull(readKey);
        _operator = DigestOrNull(operatorKey);
    }

    /// <summary>Whether a read key is configured.</summary>
    public bool HasReadKey => _read is not null;

    /// <summary>Whether an operator key is configured.</summary>
    public bool HasOperatorKey => _operator is not null;

    /// <summary>Whether any key is configured; without one the API is open, which the app allows on loopback only.</summary>
    public bool Any => HasReadKey || HasOperatorKey;

    /// <summary>
    /// The permission <paramref name="presented"/> grants: <see cref="ApiPermission.Operate"/> for the operator key,
    /// <see cref="ApiPermission.Read"/> for the read key, <see langword="null"/> for anything else.
    /// </summary>
    public ApiPermission? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var digest = Digest(presented);
        // Both comparisons always run, whichever matches.
        var isOperator = _operator is not null && CryptographicOperations.FixedTimeEquals(digest, _operator);
        var isReader = _read is not null && CryptographicOperations.FixedTimeEquals(digest, _read);
        return isOperator ? ApiPermission.Operate : isReader ? ApiPermission.Read : null;
    }

    /// <summary>The SHA-256 digest of <paramref name="key"/>'s UTF-8 bytes.</summary>
    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static byte[]? DigestOrNull(string? key) => string.IsNullOrWhiteSpace(key) ? null : Digest(key);
}
