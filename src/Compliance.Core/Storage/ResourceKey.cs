using System.Text;
using Compliance.Core.Inventory;

namespace Compliance.Core.Storage;

/// <summary>
/// Turns a resource id into table keys: the subscription id as the partition, and a reversible, collision-free
/// encoding of the rest as the row. Resource ids compare case-insensitively, so the key is built from the lower-case
/// id (two spellings of one resource share one key; the original spelling is kept in the entity). In the row key
/// <c>/</c> becomes <c>:</c>, letters, digits and <c>-_.()</c> stay, and every other character (including <c>:</c>
/// and <c>!</c> themselves) becomes <c>!</c> and the hex of its UTF-8 bytes, so no two ids share a key and none of the
/// characters Table Storage forbids in keys (<c>/ \ # ?</c>, control characters) can appear.
/// </summary>
public static class ResourceKey
{
    /// <summary>
    /// The longest key the store writes, in characters: Table Storage allows 1 KiB of UTF-16 (512 characters; Azurite
    /// refuses longer keys outright), and the keys made here are ASCII.
    /// </summary>
    public const int MaxKeyLength = 512;

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The partition key of a resource: its subscription id, lower-case.</summary>
    public static string PartitionKey(ResourceId id) => id.SubscriptionId.ToLowerInvariant();

    /// <summary>The row key of a resource within its subscription's partition.</summary>
    /// <exception cref="ArgumentException">The encoded id is longer than Table Storage allows.</exception>
    public static string RowKey(ResourceId id)
    {
        var value = id.Value.ToLowerInvariant();
        var prefix = "/subscriptions/" + PartitionKey(id);
        var rest = value.StartsWith(prefix, StringComparison.Ordinal) ? value[prefix.Length..] : value;
        return Encode(rest);
    }

    /// <summary>The partition key of a resource's history: its partition key and row key together.</summary>
    /// <exception cref="ArgumentException">The key would be longer than <see cref="MaxKeyLength"/>.</exception>
    public static string HistoryPartitionKey(ResourceId id)
    {
        var key = PartitionKey(id) + RowKey(id);
        return key.Length <= MaxKeyLength
            ? key
            : throw new ArgumentException($"The history key is {key.Length} characters; the store allows {MaxKeyLength}.", nameof(id));
    }

    /// <summary>
    /// Whether every key the store makes for <paramref name="id"/> (its state's row, its history's partition) fits
    /// <see cref="MaxKeyLength"/>; when not, <paramref name="reason"/> says by how much. A resource that does not fit is
    /// judged and reported, never stored.
    /// </summary>
    public static bool IsStorable(ResourceId id, out string? reason)
    {
        string row;
        try
        {
            row = RowKey(id);
        }
        catch (ArgumentException ex)
        {
            reason = ex.Message;
            return false;
        }

        var history = PartitionKey(id).Length + row.Length;
        reason = history <= MaxKeyLength
            ? null
            : $"its id makes a key of {history} characters; the store's keys hold {MaxKeyLength}";
        return reason is null;
    }

    /// <summary>Encodes any well-formed text as a row key.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate, or its key would be too long.</exception>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsWellFormed(text))
        {
            // A lone surrogate has no UTF-8 form: it would be encoded as U+FFFD, the key of another text.
            throw new ArgumentException("The text holds a lone surrogate; only well-formed text has a key.", nameof(text));
        }
        var builder = new StringBuilder(text.Length + 16);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == '/')
            {
                builder.Append(':');
            }
            else if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_' or '.' or '(' or ')'))
            {
                builder.Append((char)rune.Value);
            }
            else
            {
                var length = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..length])
                {
                    builder.Append('!').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        if (builder.Length > MaxKeyLength)
        {
            throw new ArgumentException($"its id makes a key of {builder.Length} characters; the store's keys hold {MaxKeyLength}", nameof(text));
        }

        return builder.ToString();
    }

    /// <summary>Decodes a row key made by <see cref="Encode"/>.</summary>
    /// <exception cref="FormatException">
    /// The key was not made by <see cref="Encode"/>: a character a key cannot hold, a bad escape, an escape of a character
    /// that is kept as is, lower-case hex, or bytes that are not UTF-8. Only <see cref="Encode"/>'s own spelling decodes,
    /// so no two keys decode to one id.
    /// </exception>
    public static string Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = new List<byte>(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == ':')
            {
                bytes.Add((byte)'/');
            }
            else if (c == '!')
            {
                if (i + 2 >= key.Length || !byte.TryParse(key.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var b))
                {
                    throw new FormatException($"'{key}' is not an encoded key: '!' must be followed by two hex digits.");
                }

                bytes.Add(b);
                i += 2;
            }
            else if (c < 128 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '(' or ')'))
            {
                bytes.Add((byte)c);
            }
            else
            {
                throw new FormatException($"'{key}' is not an encoded key: '{c}' cannot appear in one.");
            }
        }

        string text;
        try
        {
            text = _strictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException($"'{key}' is not an encoded key: its escapes are not UTF-8.");
        }

        if (!string.Equals(Encode(text), key, StringComparison.Ordinal))
        {
            throw new FormatException($"'{key}' is not an encoded key: it is not spelled the way keys are made.");
        }

        return text;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The resource id a partition and row key stand for (lower-case).</summary>
    public static string ResourceIdOf(string partitionKey, string rowKey) => "/subscriptions/" + partitionKey + Decode(rowKey);
}
