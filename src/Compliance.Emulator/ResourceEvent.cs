using Compliance.Emulator.Events;

namespace Compliance.Emulator;

/// <summary>
/// An Azure Resource Manager event of an Azure subscription's Event Grid system topic, as
/// <see cref="ArmEmulator.PublishResourceEventAsync"/> delivers it. Use <see cref="Write"/>,
/// <see cref="Action"/> or <see cref="Delete"/> for a machine or Cloud Service of the fleet.
/// </summary>
public sealed record ResourceEvent
{
    /// <summary>The event type of a successful PUT or PATCH.</summary>
    public const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";

    /// <summary>The event type of a successful POST action, e.g. start or runCommand.</summary>
    public const string ActionSuccess = "Microsoft.Resources.ResourceActionSuccess";

    /// <summary>The event type of a successful DELETE.</summary>
    public const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";

    // The actions ARM spells in camel case; matched case-insensitively so that callers cannot send a spelling Azure never does.
    private static readonly string[] _knownActions = ["start", "restart", "redeploy", "deallocate", "powerOff", "reimage", "runCommand"];

    /// <summary>The <c>eventType</c>, e.g. <see cref="WriteSuccess"/>.</summary>
    public required string EventType { get; init; }

    /// <summary>The ARM id of the resource; the <c>subject</c>, <c>resourceUri</c> and authorization scope.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The <c>operationName</c>, e.g. <c>Microsoft.Compute/virtualMachines/write</c>.</summary>
    public required string OperationName { get; init; }

    /// <summary>The event <c>id</c>; a new GUID unless set. Deliver the same event twice to re-send the same id.</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString("D");

    /// <summary>The <c>eventTime</c>; when <see langword="null"/>, the emulator clock's time of the delivery.</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary>A <see cref="WriteSuccess"/> event, e.g. <c>Microsoft.Compute/virtualMachines/write</c>.</summary>
    /// <param name="resourceId">A virtual machine, scale-set instance or Cloud Service id (any casing).</param>
    /// <exception cref="ArgumentException">The id names no virtual machine, scale-set instance or Cloud Service.</exception>
    public static ResourceEvent Write(string resourceId) => Create(WriteSuccess, resourceId, "write");

    /// <summary>An <see cref="ActionSuccess"/> event, e.g. <c>Microsoft.Compute/virtualMachines/start/action</c>.</summary>
    /// <param name="resourceId">A virtual machine, scale-set instance or Cloud Service id (any casing).</param>
    /// <param name="action">The action, e.g. <c>start</c>, <c>restart</c>, <c>redeploy</c>, <c>deallocate</c> or <c>runCommand</c>.</param>
    /// <exception cref="ArgumentException">The id names no such resource, or the action is not a single word.</exception>
    public static ResourceEvent Action(string resourceId, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (!action.All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"'{action}' is not an action name such as 'start' or 'runCommand'.", nameof(action));
        }

        var spelled = Array.Find(_knownActions, known => string.Equals(known, action, StringComparison.OrdinalIgnoreCase)) ?? action;
        return Create(ActionSuccess, resourceId, $"{spelled}/action");
    }

    /// <summary>A <see cref="DeleteSuccess"/> event, e.g. <c>Microsoft.Compute/virtualMachines/delete</c>.</summary>
    /// <param name="resourceId">A virtual machine, scale-set instance or Cloud Service id (any casing).</param>
    /// <exception cref="ArgumentException">The id names no virtual machine, scale-set instance or Cloud Service.</exception>
    public static ResourceEvent Delete(string resourceId) => Create(DeleteSuccess, resourceId, "delete");

    private static ResourceEvent Create(string eventType, string resourceId, string operation) => new()
    {
        EventType = eventType,
        ResourceId = resourceId,
        OperationName = $"{ComputeResourceType.Of(resourceId)}/{operation}",
    };
}
