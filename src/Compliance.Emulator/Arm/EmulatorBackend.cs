using Compliance.Emulator.Events;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Everything the request handlers of one emulator share.
/// </summary>
internal sealed class EmulatorBackend(FleetDocument fleet, int pageSize, TimeProvider timeProvider, string accessToken, EventPublisher events)
{
    private Uri? _endpoint;
    private FaultInjector? _faults;

    public FleetState Fleet { get; } = new(fleet);

    public RequestJournal Journal { get; } = new();

    public RunCommandOperations Operations { get; } = new(timeProvider);

    public PatchOperations PatchOperations { get; } = new(timeProvider);

    public TimeProvider Time => timeProvider;

    public EventPublisher Events => events;

    public int PageSize => pageSize;

    public string AccessToken => accessToken;

    /// <summary>How long Run Commands run on machines whose fleet entry gives no latency.</summary>
    public TimeSpan RunCommandLatency { get; init; }

    /// <summary>How long <c>installPatches</c> runs on machines whose fleet entry gives no latency.</summary>
    public TimeSpan InstallPatchesLatency { get; init; }

    /// <summary>The subscription and resource of a polled operation (a Run Command or an installPatches); null when unknown.</summary>
    public (string SubscriptionId, string ResourceId)? FindOperation(string operationId) =>
        Operations.Find(operationId) is { } run ? (run.SubscriptionId, run.ResourceId)
        : PatchOperations.Find(operationId) is { } patches ? (patches.SubscriptionId, patches.ResourceId)
        : null;

    /// <summary>Whether a finished Run Command's operation status carries its result (<see cref="ArmEmulatorOptions.RunCommandOutputInStatus"/>).</summary>
    public bool RunCommandOutputInStatus { get; init; } = true;

    /// <summary>The throttling limits; <see langword="null"/> when nothing is throttled.</summary>
    public RateLimitOptions? Limits { get; init; }

    /// <summary>The token buckets; <see langword="null"/> when nothing is throttled.</summary>
    public RequestThrottle? Throttle { get; init; }

    /// <summary>The injected faults; <see langword="null"/> when none are. Replaced while running by <see cref="ArmEmulator.SetFaults"/>.</summary>
    public FaultInjector? Faults
    {
        get => Volatile.Read(ref _faults);
        set => Volatile.Write(ref _faults, value);
    }

    /// <summary>The base URL clients use; known once Kestrel has bound its port, before any request can arrive.</summary>
    public Uri Endpoint
    {
        get => _endpoint ?? throw new InvalidOperationException("The emulator has not started listening yet.");
        set => _endpoint = value;
    }
}
