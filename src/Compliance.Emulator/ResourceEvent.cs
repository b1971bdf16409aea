using Compliance.Emulator.Events;

namespace Compliance.Emulator;

/// <summary>
/// An Azure Resource Manager event of an Azure subscription's Event Grid system topic, as
/// <see cref="ArmEmulator.PublishResourceEventAsync"/> delivers it. Use <see cref="Write"/>,
/// <see cref="Action"/> or <see cref="Delete"/> for a machine, scale set or Cloud Service of the fleet, and
/// <see cref="WriteChild"/> for an extension or run command resource of a machine or scale set.
/// </summary>
public sealed record ResourceEvent
{
    /// <summary>The event type of a successful PUT or PATCH.</summary>
    public const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";

    /// <summary>The event type of a successful POST action, e.g. start or runCommand.</summary>
    public const string ActionSuccess = "Microsoft.Resources.ResourceActionSuccess";

    /// <summary>The event type of a successful DELETE.</summary>
    public const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";

    /// <summary>The <c>eventType</c>, e.g. <see cref="WriteSuccess"/>.</summary>
    public required string EventType { get; init; }

    /// <summary>
    /// The ARM id of the resource the operation targets; the <c>subject</c>, <c>resourceUri</c> and authorization
    /// scope. For a child resource (an extension, a run command) it is the child's id, as in ARM's events.
    /// </summary>
    public required string ResourceId { get; init; }

    /// <summary>The <c>operationName</c>, e.g. <c>Microsoft.Compute/virtualMachines/write</c>.</summary>
    public required string OperationName { get; init; }

    /// <summary>The event <c>id</c>; a new GUID unless set. Deliver the same event twice to re-send the same id.</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("D");

    /// <summary>The <c>eventTime</c>; when <see langword="null"/>, the emulator clock's time of the delivery.</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>
    /// Who made the change: <see cref="EventCaller.Operator"/> unless set, since an event a test publishes stands for a
    /// change a person made. The Run Commands the emulator accepts raise events with <see cref="ArmEmulator.Caller"/>.
    /// </summary>
    public EventCaller Caller { get; init; } = EventCaller.Operator;

    /// <summary>
    /// A <see cref="WriteSuccess"/> event, e.g. <c>Microsoft.Compute/virtualMachines/write</c> or
    /// <c>Microsoft.Compute/virtualMachineScaleSets/write</c>.
    /// </summary>
    /// <param name="resourceId">A virtual machine, scale set, scale-set instance or Cloud Service id (any casing).</param>
    /// <exception cref="ArgumentException">The id names no virtual machine, scale set, scale-set instance or Cloud Service.</exception>
    public static ResourceEvent Write(string resourceId) => Create(WriteSuccess, resourceId, ComputeResourceType.Of(resourceId), "write");

    /// <summary>
    /// A <see cref="WriteSuccess"/> event for a child resource, e.g. <c>Microsoft.Compute/virtualMachines/extensions/write</c>
    /// for <c>{vm id}/extensions/{name}</c>: ARM names the child itself as the event's subject and resource.
    /// </summary>
    /// <param name="parentId">A virtual machine, scale set or scale-set instance id (any casing).</param>
    /// <param name="child">The child type: <c>extensions</c>, or <c>runCommands</c> of a machine.</param>
    /// <param name="name">The child's name, e.g. <c>MDE.Windows</c>.</param>
    /// <exception cref="ArgumentException">The parent is no such resource, it has no such child, or the name is not one segment.</exception>
    public static ResourceEvent WriteChild(string parentId, string child, string name)
    {
        var parentType = ComputeResourceType.Of(parentId, nameof(parentId));
        ArgumentException.ThrowIfNullOrEmpty(child);
        var spelled = ComputeResourceType.Child(parentType, child)
            ?? throw new ArgumentException($"Microsoft's operation list has no '{child}' under {parentType}.", nameof(child));
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"'{name}' is not a resource name.", nameof(name));
        }

        return Create(WriteSuccess, $"{parentId}/{spelled}/{name}", $"{parentType}/{spelled}", "write");
    }

    /// <summary>
    /// An <see cref="ActionSuccess"/> event, e.g. <c>Microsoft.Compute/virtualMachines/start/action</c>, spelled as
    /// Microsoft's operation list spells the action for the resource's type whatever the casing given. An action the
    /// list does not have for that type (e.g. a Cloud Service's <c>redeploy</c>) keeps the spelling given, so that tests
    /// can send operations that do not exist.
    /// </summary>
    /// <param name="resourceId">A virtual machine, scale set, scale-set instance or Cloud Service id (any casing).</param>
    /// <param name="action">
    /// The action, e.g. <c>start</c>, <c>restart</c>, <c>redeploy</c>, <c>reimage</c>, <c>reimageAll</c>,
    /// <c>installPatches</c>, <c>performMaintenance</c>, <c>reapply</c>, <c>manualUpgrade</c>, <c>osRollingUpgrade</c>,
    /// <c>delete</c> (a scale set's or Cloud Service's instances) or <c>runCommand</c>.
    /// </param>
    /// <exception cref="ArgumentException">The id names no such resource, or the action is not a single word.</exception>
    public static ResourceEvent Action(string resourceId, string action)
    {
        var type = ComputeResourceType.Of(resourceId);
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (!action.All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"'{action}' is not an action name such as 'start' or 'runCommand'.", nameof(action));
        }

        var spelled = ComputeResourceType.Action(type, action) ?? action;
        return Create(ActionSuccess, resourceId, type, $"{spelled}/action");
    }

    /// <summary>A <see cref="DeleteSuccess"/> event, e.g. <c>Microsoft.Compute/virtualMachines/delete</c>.</summary>
    /// <param name="resourceId">A virtual machine, scale set, scale-set instance or Cloud Service id (any casing).</param>
    /// <exception cref="ArgumentException">The id names no virtual machine, scale set, scale-set instance or Cloud Service.</exception>
    public static ResourceEvent Delete(string resourceId) => Create(DeleteSuccess, resourceId, ComputeResourceType.Of(resourceId), "delete");

    private static ResourceEvent Create(string eventType, string resourceId, string type, string operation) => new()
    {
        EventType = eventType,
        ResourceId = resourceId,
        OperationName = $"{type}/{operation}",
    };
}
