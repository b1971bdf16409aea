using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// One accepted <c>installPatches</c>: an ARM asynchronous operation that ends at a fixed time with a
/// <c>VirtualMachineInstallPatchesResult</c> (<see cref="CopyResult"/>) or, when the operation itself fails, an error.
/// At its end the guest report becomes <see cref="GuestAfter"/>, once.
/// </summary>
internal sealed class PatchOperation(
    string id,
    EmulatedMachine machine,
    DateTimeOffset startTime,
    DateTimeOffset completesAt,
    JsonObject? result,
    ArmError? error,
    JsonElement? guestAfter)
{
    private int _applied;

    public string Id => id;

    public string SubscriptionId => machine.SubscriptionId;

    public string Location => machine.Location;

    public string ResourceId => machine.ResourceId;

    public DateTimeOffset StartTime => startTime;

    public DateTimeOffset CompletesAt => completesAt;

    /// <summary>The operation's own failure (its status <c>Failed</c>, no result); <see langword="null"/> when it ends with a result.</summary>
    public ArmError? Error => error;

    /// <summary>The guest report once the installation has taken effect; <see langword="null"/> when it changes nothing.</summary>
    public JsonElement? GuestAfter => guestAfter;

    /// <summary>
    /// The timer that applies the effect when the duration has passed, held here because a timer nothing references
    /// may be collected before it fires.
    /// </summary>
    public ITimer? EffectTimer { get; set; }

    public bool IsCompleted(DateTimeOffset now) => now >= completesAt;

    /// <summary>A fresh copy of the result, since a JSON node belongs to one parent only.</summary>
    public JsonObject? CopyResult() => result?.DeepClone().AsObject();

    /// <summary>Whether this call is the first to claim the operation's effect on the guest.</summary>
    public bool ClaimEffect() => Interlocked.Exchange(ref _applied, 1) == 0;
}
