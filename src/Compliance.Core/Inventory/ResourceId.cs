namespace Compliance.Core.Inventory;

/// <summary>
/// An Azure resource id. ARM compares resource ids case-insensitively, so equality and hashing do too,
/// while <see cref="Value"/> keeps the casing ARM returned.
/// </summary>
public readonly record struct ResourceId : IComparable<ResourceId>
{
    private const string SubscriptionsPrefix = "/subscriptions/";

    /// <summary>Creates a resource id from its full ARM form, <c>/subscriptions/{id}/...</c>.</summary>
    /// <exception cref="ArgumentException">The value is not an ARM resource id.</exception>
    public ResourceId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!value.StartsWith(SubscriptionsPrefix, StringComparison.OrdinalIgnoreCase)
            || value.Length == SubscriptionsPrefix.Length)
        {
            throw new ArgumentException($"'{value}' is not an ARM resource id (it must start with /subscriptions/{{id}}).", nameof(value));
        }

        Value = value.TrimEnd('/');
    }

    /// <summary>The id as ARM spelled it.</summary>
    public string Value { get; }

    /// <summary>The subscription id segment.</summary>
    public string SubscriptionId => Segment(1) ?? string.Empty;

    /// <summary>The resource group name, or <c>null</c> for subscription-level resources.</summary>
    public string? ResourceGroup => SegmentAfter("resourceGroups");

    /// <inheritdoc />
    public bool Equals(ResourceId other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => Value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public int CompareTo(ResourceId other) => StringComparer.OrdinalIgnoreCase.Compare(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;

    private string? Segment(int index)
    {
        var parts = (Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return index < parts.Length ? parts[index] : null;
    }

    private string? SegmentAfter(string name)
    {
        var parts = (Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (string.Equals(parts[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return parts[i + 1];
            }
        }

        return null;
    }
}
