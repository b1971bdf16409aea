namespace Compliance.Core.Scanning;

/// <summary>
/// Which subscription events matter. A <c>ResourceWriteSuccess</c> or <c>ResourceActionSuccess</c> on a virtual machine,
/// a scale-set instance or a Cloud Service re-checks it when the operation is a write, start, restart or redeploy of that
/// very resource; <c>ResourceDeleteSuccess</c> of one removes it. Everything else is ignored, notably
/// <c>runCommand/action</c>: the events our own guest checks cause must not start another check (no loops).
/// </summary>
public static class ResourceChangeRules
{
    private const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    private const string ActionSuccess = "Microsoft.Resources.ResourceActionSuccess";
    private const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";

    private static readonly string[] _recheckOperations = ["write", "start/action", "restart/action", "redeploy/action"];
    private static readonly string[] _types = ["virtualMachines", "virtualMachineScaleSets/virtualMachines", "cloudServices"];

    /// <summary>The event types that can call for work: the event subscription (<c>infra/</c>) includes exactly these.</summary>
    public static IReadOnlyList<string> HandledEventTypes { get; } = [WriteSuccess, ActionSuccess, DeleteSuccess];

    /// <summary>
    /// Every <c>data.operationName</c> that calls for a re-check or a removal; the event subscription filters on exactly
    /// these, so Event Grid does not deliver what would be ignored (our own <c>runCommand/action</c> among it).
    /// </summary>
    public static IReadOnlyList<string> HandledOperations { get; } =
        [.. _types.SelectMany(type => _recheckOperations.Append("delete").Select(op => $"Microsoft.Compute/{type}/{op}"))];

    /// <summary>Decides what <paramref name="change"/> calls for, and why, for logs.</summary>
    public static (ResourceChangeDecision Decision, string Reason) Decide(ResourceChange change, IReadOnlyCollection<string> subscriptionScope)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(subscriptionScope);

        var type = ResourceTypeOf(change.ResourceId);
        if (type is null)
        {
            return (ResourceChangeDecision.Ignore, "not a virtual machine, scale-set instance or Cloud Service");
        }

        var subscription = SubscriptionOf(change.ResourceId);
        if (subscriptionScope.Count > 0 && !subscriptionScope.Contains(subscription, StringComparer.OrdinalIgnoreCase))
        {
            return (ResourceChangeDecision.Ignore, "a subscription outside the scan's scope");
        }

        var operation = change.OperationName ?? string.Empty;
        if (string.Equals(change.EventType, DeleteSuccess, StringComparison.OrdinalIgnoreCase))
        {
            return string.Equals(operation, $"Microsoft.Compute/{type}/delete", StringComparison.OrdinalIgnoreCase)
                ? (ResourceChangeDecision.Remove, "the resource was deleted")
                : (ResourceChangeDecision.Ignore, "a delete of something else than the resource");
        }

        if (!string.Equals(change.EventType, WriteSuccess, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(change.EventType, ActionSuccess, StringComparison.OrdinalIgnoreCase))
        {
            return (ResourceChangeDecision.Ignore, $"event type {change.EventType}");
        }

        return _recheckOperations.Any(op => string.Equals(operation, $"Microsoft.Compute/{type}/{op}", StringComparison.OrdinalIgnoreCase))
            ? (ResourceChangeDecision.Recheck, $"operation {operation}")
            : (ResourceChangeDecision.Ignore, $"operation {(operation.Length == 0 ? "(none)" : operation)}");
    }

    // The resource type path of the id when it names a resource Compliance judges (and not something inside one).
    internal static string? ResourceTypeOf(string resourceId)
    {
        var parts = (resourceId ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        // subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/{type}/{name}[/virtualMachines/{id}]
        if (parts.Length < 8
            || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            || !parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            || !parts[4].Equals("providers", StringComparison.OrdinalIgnoreCase)
            || !parts[5].Equals("Microsoft.Compute", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.Length switch
        {
            8 when parts[6].Equals("virtualMachines", StringComparison.OrdinalIgnoreCase) => "virtualMachines",
            8 when parts[6].Equals("cloudServices", StringComparison.OrdinalIgnoreCase) => "cloudServices",
            10 when parts[6].Equals("virtualMachineScaleSets", StringComparison.OrdinalIgnoreCase)
                && parts[8].Equals("virtualMachines", StringComparison.OrdinalIgnoreCase) => "virtualMachineScaleSets/virtualMachines",
            _ => null,
        };
    }

    private static string SubscriptionOf(string resourceId) =>
        resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? string.Empty;
}
