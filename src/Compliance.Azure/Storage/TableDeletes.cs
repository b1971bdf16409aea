using Azure;
using Azure.Data.Tables;

namespace Compliance.Azure.Storage;

/// <summary>Removes the rows a query finds, a few at a time; a row already gone is fine.</summary>
internal static class TableDeletes
{
    private const int DeletesAtOnce = 8;

    public static async Task<int> DeleteAsync(TableClient table, IAsyncEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await Parallel.ForEachAsync(
            rows,
            new ParallelOptions { MaxDegreeOfParallelism = DeletesAtOnce, CancellationToken = cancellationToken },
            async (row, token) =>
            {
                // A row deleted by someone else meanwhile answers 404, which the client does not throw for.
                var response = await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, token).ConfigureAwait(false);
                if (response.Status is >= 200 and < 300)
                {
                    Interlocked.Increment(ref deleted);
                }
            }).ConfigureAwait(false);
        return deleted;
    }
}
