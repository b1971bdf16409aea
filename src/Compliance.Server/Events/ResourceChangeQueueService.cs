using Compliance.Core.Queues;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Events;

/// <summary>
/// On its own, the <c>ResourceChanged</c> queue trigger's stand-in: reads the resource-change queue that Event Grid (or
/// the emulator) writes to and hands each message to the <see cref="ResourceChangeHandler"/>, which schedules the
/// re-checks.
/// </summary>
internal sealed class ResourceChangeQueueService(
    [FromKeyedServices(ResourceChangeQueueOptions.ServiceKey)] IScanBatchQueue queue,
    ResourceChangeHandler handler,
    IOptions<ScanQueueOptions> options,
    TimeProvider timeProvider,
    ILogger<ResourceChangeQueueService> logger) : QueueConsumerService(queue, options, timeProvider, logger)
{
    protected override Task HandleMessageAsync(string text, CancellationToken cancellationToken) => handler.HandleAsync(text, cancellationToken);
}
