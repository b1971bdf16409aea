using System.Collections.Concurrent;
using Compliance.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

/// <summary>Which subscriptions a scan covers: those asked for, else those configured, else every readable one.</summary>
internal static class ScanScope
{
    public static async Task<IReadOnlyList<string>> ResolveAsync(
        IResourceInventory inventory,
        ScanRequest request,
        ScanOptions options,
        ConcurrentQueue<ScanError> errors,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var chosen = request.SubscriptionIds.Count > 0 ? request.SubscriptionIds : options.SubscriptionIds;
        if (chosen.Count > 0)
        {
            return chosen.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        var subscriptions = new List<string>();
        try
        {
            await foreach (var subscription in inventory.GetSubscriptionsAsync(cancellationToken).ConfigureAwait(false))
            {
                subscriptions.Add(subscription.SubscriptionId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ScanLog.SubscriptionListFailed(logger, ex);
            errors.Enqueue(new ScanError("subscriptions", ComplianceScanner.Describe(ex)));
        }

        return subscriptions;
    }
}
