using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.Tests.Tables;

/// <summary>
/// Counts the "create table" requests (<c>POST …/Tables</c>) a Table client sends, and fails them, before they leave,
/// while <see cref="Refusing"/> is set.
/// </summary>
public sealed class TableCreations : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool Refusing { get; set; }

    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("/Tables", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _count);
            if (Refusing)
            {
                throw new InvalidOperationException("Creating tables is refused.");
            }
        }
    }
}
