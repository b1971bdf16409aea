namespace Compliance.Core.Scanning;

/// <summary>
/// Which subscription events matter: the one table of the <c>Microsoft.Compute</c> operations that can change what a
/// guest reports (or what a Cloud Service runs), and what each calls for. The deployed event filter (<c>infra/</c>) is
/// checked against it. An event is matched on its operation and on its subject, which must be a resource of the type
/// the operation acts on (a child such as an extension or a managed Run Command stands for its machine). A scale set's
/// own operations re-check every instance of the set: resource events carry no request body, so they never say which
/// instances a request named. <c>runCommand/action</c> re-checks only when the event names a caller and it is not this
/// app: our own guest checks must not start another check (no loops). Everything else is ignored.
/// </summary>
/// <remarks>Operation names: "Azure permissions for Compute" (learn.microsoft.com, resource provider operations).</remarks>
public static class ResourceChangeRules
{
    private const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    private const string ActionSuccess = "Microsoft.Resources.ResourceActionSuccess";
    private const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";
    private const string Compute = "Microsoft.Compute/";

    private const string VirtualMachines = "virtualMachines";
    private const string ScaleSets = "virtualMachineScaleSets";
    private const string ScaleSetVms = "virtualMachineScaleSets/virtualMachines";
    private const string CloudServices = "cloudServices";

    // The table. Each operation's subject type is its name without the verb ("write", "delete" or "{verb}/action").
    private static readonly ResourceOperation[] _operations =
    [
        // Virtual machines: every change of the OS disk, the image, the host, the agent's extensions or patches.
        .. Rows(VirtualMachines, ResourceOperationEffect.Recheck,
            "write", "start/action", "restart/action", "redeploy/action", "reimage/action", "installPatches/action",
            "performMaintenance/action", "reapply/action", "rollbackOSDisk/action", "extensions/write", "runCommands/write"),
        new($"{Compute}{VirtualMachines}/runCommand/action", ResourceOperationEffect.RecheckUnlessOwnCall),
        new($"{Compute}{VirtualMachines}/delete", ResourceOperationEffect.Remove),

        // Scale-set instances.
        .. Rows(ScaleSetVms, ResourceOperationEffect.Recheck,
            "write", "start/action", "restart/action", "redeploy/action", "reimage/action", "reimageAll/action",
            "performMaintenance/action", "extensions/write", "runCommands/write"),
        new($"{Compute}{ScaleSetVms}/runCommand/action", ResourceOperationEffect.RecheckUnlessOwnCall),
        new($"{Compute}{ScaleSetVms}/delete", ResourceOperationEffect.Remove),

        // Scale sets: in Uniform sets, upgrades and reimages of instances often arrive only this way. A write re-checks
        // whatever the upgrade policy: the event does not say whether the model or only the capacity changed, and a
        // scale-out's new instances raise no event of their own. delete/action deletes instances (gone ones are removed).
        .. Rows(ScaleSets, ResourceOperationEffect.RecheckScaleSet,
            "write", "manualUpgrade/action", "reimage/action", "reimageAll/action", "restart/action", "start/action",
            "redeploy/action", "performMaintenance/action", "osRollingUpgrade/action", "extensions/write", "delete/action",
            "delete"),

        // Cloud Services (extended support): a write can change the Guest OS (the configuration's osVersion); a
        // reimage or rebuild, of the service or of one role instance, installs the Guest OS afresh; a start or restart
        // may pick up a pending one.
        .. Rows(CloudServices, ResourceOperationEffect.Recheck,
            "write", "start/action", "restart/action", "reimage/action", "rebuild/action",
            "roleInstances/reimage/action", "roleInstances/rebuild/action"),
        new($"{Compute}{CloudServices}/delete", ResourceOperationEffect.Remove),
    ];

    /// <summary>The event types that can call for work: the event subscription (<c>infra/</c>) includes exactly these.</summary>
    public static IReadOnlyList<string> HandledEventTypes { get; } = [WriteSuccess, ActionSuccess, DeleteSuccess];

    /// <summary>The table: every <c>data.operationName</c> that calls for work, and what it calls for.</summary>
    public static IReadOnlyList<ResourceOperation> Operations => _operations;

    /// <summary>
    /// Every <c>data.operationName</c> that calls for a re-check or a removal; the event subscription's filter must let
    /// each through.
    /// </summary>
    public static IReadOnlyList<string> HandledOperations { get; } = [.. _operations.Select(o => o.Name)];

    /// <summary>Decides what <paramref name="change"/> calls for, and why, for logs.</summary>
    /// <param name="change">The event.</param>
    /// <param name="subscriptionScope">The subscriptions scans cover; empty: all.</param>
    /// <param name="ownPrincipalId">
    /// The object id of this app's identity, which runs the guest checks; <see langword="null"/> when it is not known,
    /// and then no <c>runCommand/action</c> re-checks (it could be our own).
    /// </param>
    public static ResourceChangeDecisionResult Decide(ResourceChange change, IReadOnlyCollection<string> subscriptionScope, string? ownPrincipalId = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(subscriptionScope);

        var subject = ComputeSubject.Parse(change.ResourceId);
        if (subject is null || JudgedTarget(subject) is not { } target)
        {
            return Ignore("not a virtual machine, scale set, scale-set instance or Cloud Service", ResourceChangeIgnoreKind.NotJudged);
        }

        if (subscriptionScope.Count > 0 && !subscriptionScope.Contains(subject.SubscriptionId, StringComparer.OrdinalIgnoreCase))
        {
            return Ignore("a subscription outside the scan's scope", ResourceChangeIgnoreKind.OutOfScope);
        }

        var isDelete = string.Equals(change.EventType, DeleteSuccess, StringComparison.OrdinalIgnoreCase);
        if (!isDelete
            && !string.Equals(change.EventType, WriteSuccess, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(change.EventType, ActionSuccess, StringComparison.OrdinalIgnoreCase))
        {
            return Ignore($"event type {change.EventType}", ResourceChangeIgnoreKind.EventType);
        }

        var operationName = change.OperationName ?? string.Empty;
        var operation = Array.Find(_operations, o => string.Equals(o.Name, operationName, StringComparison.OrdinalIgnoreCase));
        var described = $"operation {(operationName.Length == 0 ? "(none)" : operationName)}";
        if (operation is null)
        {
            return Ignore(described, ResourceChangeIgnoreKind.Operation);
        }

        // The subject must be what the operation acts on, and a delete must be reported as one (and only a delete).
        if (!string.Equals(operation.SubjectType, subject.TypePath, StringComparison.OrdinalIgnoreCase))
        {
            return Ignore($"{described} on a {subject.TypePath} subject", ResourceChangeIgnoreKind.Operation);
        }

        if (isDelete != operation.IsDelete)
        {
            return Ignore($"{described} reported as {change.EventType}", ResourceChangeIgnoreKind.Operation);
        }

        switch (operation.Effect)
        {
            case ResourceOperationEffect.Remove:
                return new(ResourceChangeDecision.Remove, target, "the resource was deleted");
            case ResourceOperationEffect.RecheckScaleSet:
                return new(ResourceChangeDecision.RecheckScaleSet, target, $"{described} on the scale set");
            case ResourceOperationEffect.RecheckUnlessOwnCall when ownPrincipalId is null:
                return Ignore($"{described}: this app's identity is not known, so the call may be our own check", ResourceChangeIgnoreKind.OwnCall);
            case ResourceOperationEffect.RecheckUnlessOwnCall when change.Caller is null:
                return Ignore($"{described} by a caller the event does not name (it could be our own check)", ResourceChangeIgnoreKind.OwnCall);
            case ResourceOperationEffect.RecheckUnlessOwnCall when string.Equals(change.Caller, ownPrincipalId, StringComparison.OrdinalIgnoreCase):
                return Ignore($"{described} by this app (our own check)", ResourceChangeIgnoreKind.OwnCall);
            case ResourceOperationEffect.RecheckUnlessOwnCall:
                return new(ResourceChangeDecision.Recheck, target, $"{described} by another caller");
            default:
                return new(ResourceChangeDecision.Recheck, target, described);
        }
    }

    // Whether an id names a resource a re-check can take: a machine, a Cloud Service or a scale set (its instances).
    internal static bool IsRecheckTarget(string resourceId) =>
        ComputeSubject.Parse(resourceId) is { } subject && JudgedTarget(subject) is { } target
        && string.Equals(target, subject.Prefix(subject.Types.Count), StringComparison.Ordinal);

    /// <summary>Whether <paramref name="resourceId"/> names a scale set (not one of its instances).</summary>
    public static bool IsScaleSet(string resourceId) =>
        ComputeSubject.Parse(resourceId) is { } subject && string.Equals(subject.TypePath, ScaleSets, StringComparison.OrdinalIgnoreCase);

    // The resource a subject stands for: itself, or the machine, scale set or Cloud Service a child belongs to.
    private static string? JudgedTarget(ComputeSubject subject)
    {
        var types = subject.Types;
        if (types[0].Equals(VirtualMachines, StringComparison.OrdinalIgnoreCase) || types[0].Equals(CloudServices, StringComparison.OrdinalIgnoreCase))
        {
            return types.Count <= 2 ? subject.Prefix(1) : null;
        }

        if (!types[0].Equals(ScaleSets, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (types.Count >= 2 && types[1].Equals(VirtualMachines, StringComparison.OrdinalIgnoreCase))
        {
            return types.Count <= 3 ? subject.Prefix(2) : null;
        }

        return types.Count <= 2 ? subject.Prefix(1) : null;
    }

    private static ResourceChangeDecisionResult Ignore(string reason, ResourceChangeIgnoreKind kind) =>
        new(ResourceChangeDecision.Ignore, null, reason) { IgnoreKind = kind };

    private static IEnumerable<ResourceOperation> Rows(string type, ResourceOperationEffect effect, params string[] verbs) =>
        verbs.Select(verb => new ResourceOperation($"{Compute}{type}/{verb}", effect));
}
