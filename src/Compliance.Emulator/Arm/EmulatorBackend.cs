using Compliance.Emulator.Events;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Everything the request handlers of one emulator share.
/// </summary>
internal sealed class EmulatorBackend(FleetDocument fleet, int pageSize, TimeProvider timeProvider, string accessToken, EventPublisher events, Uri? eventWebhook)
{
    private Uri? _endpoint;

    public FleetState Fleet { get; } = new(fleet);

    public RequestJournal Journal { get; } = new();

    public RunCommandOperations Operations { get; } = new(timeProvider);

    public TimeProvider Time => timeProvider;

    public EventPublisher Events => events;

    /// <summary>Where ARM's own events about accepted operations go; <see langword="null"/> for nowhere.</summary>
    public Uri? EventWebhook => eventWebhook;

    public int PageSize => pageSize;

    public string AccessToken => accessToken;

    /// <summary>The base URL clients use; known once Kestrel has bound its port, before any request can arrive.</summary>
    public Uri Endpoint
    {
        get => _endpoint ?? throw new InvalidOperationException("The emulator has not started listening yet.");
        set => _endpoint = value;
    }
}
