using Compliance.Core.Queues;
using Compliance.Core.Remediation;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Events;

/// <summary>
/// On its own, the <c>RunRemediation</c> queue trigger's stand-in: reads the remediation queue and hands each message
/// to the <see cref="RemediationStepHandler"/>. While remediation is off it does not read the queue at all.
/// </summary>
internal sealed class RemediationQueueService(
    [FromKeyedServices(RemediationOptions.ServiceKey)] IScanBatchQueue queue,
    RemediationStepHandler handler,
    IOptions<RemediationOptions> remediation,
    IOptions<ScanQueueOptions> options,
    TimeProvider timeProvider,
    ILogger<RemediationQueueService> logger) : QueueConsumerService(queue, options, timeProvider, logger)
{
    protected override Task HandleMessageAsync(string text, CancellationToken cancellationToken) => handler.HandleAsync(text, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        remediation.Value.Enabled ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;
}
