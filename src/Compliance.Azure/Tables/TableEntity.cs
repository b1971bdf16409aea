using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace Compliance.Azure.Tables;

/// <summary>
/// A Table storage entity as a dictionary of property names to values, shaped like <c>Azure.Data.Tables.TableEntity</c>.
/// Values may be <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
/// <see cref="DateTimeOffset"/>, <see cref="DateTime"/> (UTC only), <see cref="Guid"/>, <see cref="byte"/> arrays or
/// <c>null</c> (null properties are not sent). Any other type is rejected with an <see cref="ArgumentException"/> by the
/// call that sends the entity. Entities read from the service carry <c>odata.etag</c> and <c>Timestamp</c> too.
/// </summary>
public sealed class TableEntity : IDictionary<string, object?>
{
    internal const string PartitionKeyName = "PartitionKey";
    internal const string RowKeyName = "RowKey";
    internal const string TimestampName = "Timestamp";
    internal const string ETagName = "odata.etag";

    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    /// <summary>Creates an entity with no properties.</summary>
    public TableEntity()
    {
    }

    /// <summary>Creates an entity with its keys.</summary>
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    /// <summary>Creates an entity holding a copy of <paramref name="values"/>.</summary>
    public TableEntity(IDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            _properties[key] = value;
        }
    }

    /// <summary>The partition key; empty when the entity has none yet.</summary>
    public string PartitionKey
    {
        get => GetString(PartitionKeyName) ?? string.Empty;
        set => _properties[PartitionKeyName] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The row key; empty when the entity has none yet.</summary>
    public string RowKey
    {
        get => GetString(RowKeyName) ?? string.Empty;
        set => _properties[RowKeyName] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>When the service last modified the entity; set by the service, never sent.</summary>
    public DateTimeOffset? Timestamp
    {
        get => GetDateTimeOffset(TimestampName);
        set => Set(TimestampName, value);
    }

    /// <summary>The entity's version as the service last reported it; default when it was never read.</summary>
    public ETag ETag
    {
        get => _properties.TryGetValue(ETagName, out var value) && value is string text ? new ETag(text) : default;
        set => Set(ETagName, value == default ? null : value.ToString());
    }

    /// <inheritdoc />
    public object? this[string key]
    {
        get => _properties[key];
        set => _properties[key] = value;
    }

    /// <inheritdoc />
    public ICollection<string> Keys => _properties.Keys;

    /// <inheritdoc />
    public ICollection<object?> Values => _properties.Values;

    /// <inheritdoc />
    public int Count => _properties.Count;

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>The string value of <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string? GetString(string key) => Get(key) switch
    {
        null => null,
        string value => value,
        var other => throw Mismatch(key, other, "String"),
    };

    /// <summary>The 32-bit integer value of <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not a 32-bit integer.</exception>
    public int? GetInt32(string key) => Get(key) switch
    {
        null => null,
        int value => value,
        var other => throw Mismatch(key, other, "Int32"),
    };

    /// <summary>The 64-bit integer value of <paramref name="key"/> (a 32-bit one widens), or null when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not an integer.</exception>
    public long? GetInt64(string key) => Get(key) switch
    {
        null => null,
        long value => value,
        int value => value,
        var other => throw Mismatch(key, other, "Int64"),
    };

    /// <summary>
    /// The double value of <paramref name="key"/>, or null when it is absent. Integers widen, since the service (and
    /// Azurite) may write an integral double such as 2.0 as the JSON number <c>2</c>, which reads back as an integer.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public double? GetDouble(string key) => Get(key) switch
    {
        null => null,
        double value => value,
        int value => value,
        long value => value,
        var other => throw Mismatch(key, other, "Double"),
    };

    /// <summary>The Boolean value of <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not a Boolean.</exception>
    public bool? GetBoolean(string key) => Get(key) switch
    {
        null => null,
        bool value => value,
        var other => throw Mismatch(key, other, "Boolean"),
    };

    /// <summary>The date-time value of <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not a date-time.</exception>
    public DateTimeOffset? GetDateTimeOffset(string key) => Get(key) switch
    {
        null => null,
        DateTimeOffset value => value,
        DateTime { Kind: DateTimeKind.Utc } value => new DateTimeOffset(value),
        var other => throw Mismatch(key, other, "DateTimeOffset"),
    };

    /// <summary>The GUID value of <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not a GUID.</exception>
    public Guid? GetGuid(string key) => Get(key) switch
    {
        null => null,
        Guid value => value,
        var other => throw Mismatch(key, other, "Guid"),
    };

    /// <summary>The binary value of <paramref name="key"/>, or null when it is absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not binary.</exception>
    public byte[]? GetBinary(string key) => Get(key) switch
    {
        null => null,
        byte[] value => value,
        var other => throw Mismatch(key, other, "Binary"),
    };

    /// <inheritdoc />
    public void Add(string key, object? value) => _properties.Add(key, value);

    /// <inheritdoc />
    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    /// <inheritdoc />
    public bool Remove(string key) => _properties.Remove(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => _properties.TryGetValue(key, out value);

    /// <inheritdoc />
    public void Add(KeyValuePair<string, object?> item) => _properties.Add(item.Key, item.Value);

    /// <inheritdoc />
    public void Clear() => _properties.Clear();

    /// <inheritdoc />
    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);

    /// <inheritdoc />
    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private object? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _properties.GetValueOrDefault(key);
    }

    private void Set(string key, object? value)
    {
        if (value is null)
        {
            _properties.Remove(key);
        }
        else
        {
            _properties[key] = value;
        }
    }

    private static InvalidOperationException Mismatch(string key, object value, string expected) =>
        new($"The property '{key}' holds a {value.GetType().Name}, not a {expected}.");
}
