using System.Text.Json;
using Compliance.Core.Queues;
using Compliance.Core.Remediation;

namespace Compliance.Server.Events;

/// <summary>
/// One message of the remediation queue, handled the same way by the <c>RunRemediation</c> function and by the consumer
/// of <c>compliance serve</c>: the text (as stored, or Base64) is a <see cref="RemediationStepMessage"/>, run by the
/// <see cref="RemediationRunner"/>. The runner (and with it the Azure adapters that change machines) is resolved only
/// when a step is to run, and never while remediation is off.
/// </summary>
public sealed class RemediationStepHandler(IServiceProvider services, Microsoft.Extensions.Options.IOptions<RemediationOptions> options, ILogger<RemediationStepHandler> logger)
{
    /// <summary>The step in <paramref name="message"/>.</summary>
    /// <exception cref="InvalidDataException">The message is not a remediation step: retrying it would not help.</exception>
    public static RemediationStepMessage Read(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            return RemediationStepMessage.Deserialize(QueueMessageText.Decode(message));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException($"The message is not a remediation step: {ex.Message}", ex);
        }
    }

    /// <summary>Runs the step of <paramref name="message"/>; while remediation is off, nothing.</summary>
    /// <exception cref="InvalidDataException">The message is not a remediation step.</exception>
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var step = Read(message);
        if (!options.Value.Enabled)
        {
            EventLog.RemediationOff(logger, step.PlanId);
            return;
        }

        await services.GetRequiredService<RemediationRunner>().RunAsync(step, cancellationToken).ConfigureAwait(false);
    }
}
