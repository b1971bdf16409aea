namespace Compliance.Infra.Tests;

/// <summary>One advanced filter of an event subscription: an operator, the event field it reads, and its values.</summary>
internal sealed record AdvancedFilter(string OperatorType, string Key, IReadOnlyList<string> Values)
{
    /// <summary>
    /// Whether Event Grid lets <paramref name="value"/> through this filter: values of one filter are ORed, a "Not"
    /// operator lets through what matches none, and string comparisons ignore case (Event Grid's advanced filtering).
    /// Null for an operator these checks do not evaluate.
    /// </summary>
    public bool? Admits(string value)
    {
        Func<string, bool>? matches = OperatorType.Replace("Not", string.Empty, StringComparison.Ordinal) switch
        {
            "StringBeginsWith" => v => value.StartsWith(v, StringComparison.OrdinalIgnoreCase),
            "StringEndsWith" => v => value.EndsWith(v, StringComparison.OrdinalIgnoreCase),
            "StringContains" => v => value.Contains(v, StringComparison.OrdinalIgnoreCase),
            "StringIn" => v => value.Equals(v, StringComparison.OrdinalIgnoreCase),
            _ => null,
        };
        return matches is null ? null : Values.Any(matches) != IsExclusion;
    }

    /// <summary>A "Not" operator: it drops what matches a value.</summary>
    public bool IsExclusion => OperatorType.StartsWith("StringNot", StringComparison.Ordinal);
}
