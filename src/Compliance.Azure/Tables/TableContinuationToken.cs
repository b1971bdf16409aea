namespace Compliance.Azure.Tables;

/// <summary>
/// Where a query resumes: the service's <c>x-ms-continuation-NextPartitionKey</c> and <c>…NextRowKey</c> headers,
/// carried in one page continuation token as "partition row" (the service's values never contain a space).
/// </summary>
internal sealed record TableContinuationToken(string NextPartitionKey, string? NextRowKey)
{
    public static TableContinuationToken? FromHeaders(string? nextPartitionKey, string? nextRowKey) =>
        string.IsNullOrEmpty(nextPartitionKey) ? null : new TableContinuationToken(nextPartitionKey, string.IsNullOrEmpty(nextRowKey) ? null : nextRowKey);

    public static TableContinuationToken? Parse(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        var parts = token.Split(' ', 2);
        return FromHeaders(parts[0], parts.Length > 1 ? parts[1] : null);
    }

    public override string ToString() => NextRowKey is null ? NextPartitionKey : $"{NextPartitionKey} {NextRowKey}";
}
