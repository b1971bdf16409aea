using Compliance.Core.Queues;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Events;

/// <summary>
/// On its own, the <c>RecheckResource</c> queue trigger's stand-in: reads the re-check queue and hands each message,
/// once its delay is over, to the <see cref="ResourceRecheckHandler"/>.
/// </summary>
internal sealed class ResourceRecheckQueueService(
    [FromKeyedServices(ResourceChangeQueueOptions.RecheckServiceKey)] IScanBatchQueue queue,
    ResourceRecheckHandler handler,
    IOptions<ScanQueueOptions> options,
    TimeProvider timeProvider,
    ILogger<ResourceRecheckQueueService> logger) : QueueConsumerService(queue, options, timeProvider, logger)
{
    protected override Task HandleMessageAsync(string text, CancellationToken cancellationToken) => handler.HandleAsync(text, cancellationToken);
}
