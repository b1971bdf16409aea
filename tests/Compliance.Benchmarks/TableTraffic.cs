using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Benchmarks;

/// <summary>
/// Counts the Table service transactions the store sends (each HTTP request, retries included, is one billed
/// transaction) and the entities its writes carry: one for a single write, one per operation of an entity group
/// transaction (<c>$batch</c>).
/// </summary>
internal sealed class TableTraffic : HttpPipelinePolicy
{
    private static readonly byte[] Operation = Encoding.ASCII.GetBytes("\r\nContent-Type: application/http\r\n");

    private long _transactions;
    private long _writes;
    private long _entities;

    public long Transactions => Interlocked.Read(ref _transactions);

    public long WriteTransactions => Interlocked.Read(ref _writes);

    public long EntitiesWritten => Interlocked.Read(ref _entities);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        Interlocked.Increment(ref _transactions);
        var request = message.Request;
        if (request.Method == RequestMethod.Get || request.Method == RequestMethod.Head)
        {
            return;
        }

        Interlocked.Increment(ref _writes);
        var path = request.Uri.Path;
        if (!path.EndsWith("$batch", StringComparison.Ordinal) || request.Content is null)
        {
            if (!path.EndsWith("/Tables", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _entities);
            }

            return;
        }

        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        Interlocked.Add(ref _entities, Occurrences(body.GetBuffer().AsSpan(0, (int)body.Length), Operation));
    }

    private static int Occurrences(ReadOnlySpan<byte> text, ReadOnlySpan<byte> value)
    {
        var count = 0;
        int at;
        while ((at = text.IndexOf(value)) >= 0)
        {
            count++;
            text = text[(at + value.Length)..];
        }

        return count;
    }
}
