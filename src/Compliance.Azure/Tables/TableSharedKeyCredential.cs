using System.Security.Cryptography;
using System.Text;

namespace Compliance.Azure.Tables;

/// <summary>
/// A storage account name and key, used to sign Table requests with the <c>SharedKey</c> scheme. The key is kept only as
/// bytes and never appears in messages or <see cref="object.ToString"/>.
/// </summary>
public sealed class TableSharedKeyCredential
{
    private readonly byte[] _key;

    /// <summary>Creates a credential.</summary>
    /// <exception cref="ArgumentException">The name is empty or the key is not Base64.</exception>
    public TableSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentNullException.ThrowIfNull(accountKey);
        _key = DecodeKey(accountKey) ?? throw new ArgumentException("The account key is not valid Base64.", nameof(accountKey));
        AccountName = accountName;
    }

    /// <summary>The storage account name.</summary>
    public string AccountName { get; }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(TableSharedKeyCredential)} {{ AccountName = {AccountName} }}";

    internal string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    internal static byte[]? DecodeKey(string accountKey)
    {
        if (accountKey.Length == 0)
        {
            return null;
        }

        var buffer = new byte[accountKey.Length];
        return Convert.TryFromBase64String(accountKey, buffer, out var written) ? buffer[..written] : null;
    }
}
