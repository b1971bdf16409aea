using Azure;

namespace Compliance.Azure.Tables;

/// <summary>Query results fetched one page (one request) at a time, following the continuation token.</summary>
internal sealed class TableEntityPageable(
    Func<string?, int?, CancellationToken, Task<Page<TableEntity>>> fetchPageAsync,
    int? maxPerPage,
    CancellationToken cancellationToken) : AsyncPageable<TableEntity>(cancellationToken)
{
    public override async IAsyncEnumerable<Page<TableEntity>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        var token = continuationToken;
        do
        {
            var page = await fetchPageAsync(token, pageSizeHint ?? maxPerPage, CancellationToken).ConfigureAwait(false);
            yield return page;
            token = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(token));
    }
}
