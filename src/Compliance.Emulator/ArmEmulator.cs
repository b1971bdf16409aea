using System.Net;
using System.Security.Cryptography.X509Certificates;
using Compliance.Emulator.Arm;
using Compliance.Emulator.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Compliance.Emulator;

/// <summary>
/// A loopback HTTPS emulator of the slice of Azure Resource Manager that the compliance scanner
/// uses: subscriptions, virtual machines, scale sets, Cloud Services, the Guest OS catalogue and
/// Run Command, all served from a <see cref="FleetDocument"/>. Point an <c>ArmClient</c> at
/// <see cref="Endpoint"/>, pin <see cref="Certificate"/> and present <see cref="AccessToken"/>.
/// It also plays the Event Grid system topic of the subscriptions and its event subscription with a Storage Queue
/// destination: it writes resource events to a storage queue (<see cref="PublishResourceEventAsync"/>,
/// <see cref="ArmEmulatorOptions.EventQueue"/>).
/// For benchmarks it imposes Azure's throttling (<see cref="ArmEmulatorOptions.Limits"/>), injects transient faults
/// (<see cref="ArmEmulatorOptions.Faults"/>) and can run platform time faster than real time
/// (<see cref="ScaledTimeProvider"/>).
/// </summary>
public sealed class ArmEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorBackend _backend;
    private readonly X509Certificate2 _serverCertificate;
    private int _disposed;

    private ArmEmulator(WebApplication app, EmulatorBackend backend, X509Certificate2 serverCertificate)
    {
        _app = app;
        _backend = backend;
        _serverCertificate = serverCertificate;
        Certificate = X509CertificateLoader.LoadCertificate(serverCertificate.RawData);
    }

    /// <summary>The base URL, e.g. <c>https://127.0.0.1:51234/</c>; always ends with '/'.</summary>
    public Uri Endpoint => _backend.Endpoint;

    /// <summary>The server certificate, public part only: pin its SHA-256 hash.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The bearer token every request must carry; random per start. Shaped like a managed identity's ARM token: an
    /// unsigned JWT whose payload names <see cref="CallerPrincipalId"/> (<c>oid</c>), the tenant, the application,
    /// ARM's audience and the tenant's issuer.
    /// </summary>
    public string AccessToken => _backend.AccessToken;

    /// <summary>
    /// The object id of the identity <see cref="AccessToken"/> stands for: the caller the emulator writes into the
    /// events of the Run Commands it accepts, as ARM does for the app's own checks.
    /// </summary>
    public string CallerPrincipalId => EmulatorIdentity.ObjectId;

    /// <summary>The identity <see cref="AccessToken"/> stands for, as the caller of a <see cref="ResourceEvent"/>.</summary>
    public EventCaller Caller => EmulatorIdentity.Caller;

    /// <summary>Every Run Command POST received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRunCommand> RunCommands => _backend.Journal.RunCommands;

    /// <summary>Every <c>installPatches</c> POST received so far, oldest first.</summary>
    public IReadOnlyList<RecordedInstallPatches> InstallPatches => _backend.Journal.InstallPatches;

    /// <summary>
    /// Every request received so far with the status it got, oldest first. A snapshot that copies nothing, however
    /// many requests there were; later requests do not show in it.
    /// </summary>
    public IReadOnlyList<RecordedRequest> Requests => _backend.Journal.Requests;

    /// <summary>How many requests the emulator has received so far (answered or not), refused ones included.</summary>
    public int RequestCount => _backend.Journal.RequestCount;

    /// <summary>How many requests got 429 from <see cref="ArmEmulatorOptions.Limits"/>; 0 when nothing is throttled.</summary>
    public int Throttled => _backend.Throttle?.Throttled ?? 0;

    /// <summary>
    /// The 429s by the bucket that refused them: <c>SubscriptionReads</c>, <c>SubscriptionWrites</c>,
    /// <c>SubscriptionDeletes</c>, <c>TenantReads</c> (and writes, deletes) for ARM, and the Compute policies
    /// <c>UpdateVMSubscriptionMaximum</c>, <c>UpdateVMResource</c>, <c>LowCostGetSubscriptionMaximum</c>,
    /// <c>LowCostGetResource</c>, <c>HighCostGetSubscriptionMaximum</c>, <c>GetOperationSubscriptionMaximum</c> (and
    /// <c>…Resource</c> of any policy given a per-resource bucket). A copy; buckets that refused nothing are absent.
    /// </summary>
    public IReadOnlyDictionary<string, int> ThrottledByPolicy => _backend.Throttle?.ThrottledByPolicy ?? new Dictionary<string, int>();

    /// <summary>How many requests got an injected 500 or 503 from <see cref="ArmEmulatorOptions.Faults"/>.</summary>
    public int InjectedFaults => _backend.Faults?.Faults ?? 0;

    /// <summary>How many connections were reset by <see cref="FaultOptions.ResetRate"/>, before or after processing.</summary>
    public int InjectedResets => _backend.Faults?.Resets ?? 0;

    /// <summary>How many requests were slowed down by <see cref="FaultOptions.SlowDelay"/>.</summary>
    public int InjectedDelays => _backend.Faults?.Delays ?? 0;

    /// <summary>Every event written to <see cref="ArmEmulatorOptions.EventQueue"/> so far, oldest first.</summary>
    public IReadOnlyList<EventDelivery> Deliveries => _backend.Events.Deliveries;

    /// <summary>
    /// The events of accepted Run Commands that could not be written to <see cref="ArmEmulatorOptions.EventQueue"/>,
    /// e.g. because the storage account could not be reached or refused the message.
    /// </summary>
    public int EventDeliveryFailures => _backend.Events.Failures;

    /// <summary>The fleet as currently served.</summary>
    internal FleetDocument Fleet => _backend.Fleet.Current.Document;

    /// <summary>The Run Command operations accepted so far.</summary>
    internal IReadOnlyList<RunCommandOperation> Operations => _backend.Operations.All;

    /// <summary>Starts an emulator serving <paramref name="fleet"/> on a free loopback port.</summary>
    /// <exception cref="FleetFormatException">The fleet breaks a rule of the fleet format.</exception>
    /// <exception cref="ArgumentException">
    /// A setting of <see cref="ArmEmulatorOptions.EventQueue"/> is missing or malformed, or a limit, fault setting or
    /// the Run Command latency is out of range.
    /// </exception>
    public static async Task<ArmEmulator> StartAsync(FleetDocument fleet, ArmEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        options ??= new ArmEmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RunCommandLatency, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InstallPatchesLatency, TimeSpan.Zero, nameof(options));
        options.Limits?.Validate(nameof(options));
        var limits = options.Limits?.Copy();
        options.Faults?.Validate(nameof(options));

        FleetValidator.Validate(fleet, "fleet");

        var token = EmulatorIdentity.NewAccessToken(options.TimeProvider.GetUtcNow());
        var events = EventPublisher.Create(options.EventQueue, options.TimeProvider, nameof(options));
        var backend = new EmulatorBackend(fleet, options.PageSize, options.TimeProvider, token, events)
        {
            RunCommandLatency = options.RunCommandLatency,
            InstallPatchesLatency = options.InstallPatchesLatency,
            RunCommandOutputInStatus = options.RunCommandOutputInStatus,
            Limits = limits,
            Throttle = limits is null ? null : new RequestThrottle(options.TimeProvider),
            Faults = options.Faults is { } faults ? new FaultInjector(faults) : null,
        };
        var serverCertificate = EmulatorCertificate.Create();
        WebApplication? app = null;
        try
        {
            app = Build(backend, serverCertificate, options.LoggerFactory);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            backend.Endpoint = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
            return new ArmEmulator(app, backend, serverCertificate);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            await events.DisposeAsync().ConfigureAwait(false);
            serverCertificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Replaces the injected faults while the emulator runs (<see langword="null"/> stops them): a fault that starts or
    /// clears in the middle of a scan. <see cref="InjectedFaults"/>, <see cref="InjectedResets"/> and
    /// <see cref="InjectedDelays"/> count again from zero.
    /// </summary>
    /// <exception cref="ArgumentException">A share or delay is out of range.</exception>
    public void SetFaults(FaultOptions? faults)
    {
        faults?.Validate(nameof(faults));
        _backend.Faults = faults is null ? null : new FaultInjector(faults);
    }

    /// <summary>
    /// Replaces the served fleet, e.g. to change a power state while a scan runs. Requests already being answered
    /// finish on the fleet they started with; the next ones see the change.
    /// </summary>
    /// <param name="change">Makes the new fleet from the current one; validated like the fleet at start.</param>
    /// <exception cref="FleetFormatException">The new fleet breaks a rule of the fleet format; the old one stays.</exception>
    public void UpdateFleet(Func<FleetDocument, FleetDocument> change) => _backend.Fleet.Update(change);

    /// <summary>
    /// Changes one virtual machine or scale-set instance of the served fleet, e.g. its power state, agent status
    /// or guest report.
    /// </summary>
    /// <param name="resourceId">The machine's ARM id, compared case-insensitively.</param>
    /// <param name="change">Makes the machine's new state from its current one.</param>
    /// <exception cref="ArgumentException">No virtual machine or scale-set instance of the fleet has that id.</exception>
    public void UpdateMachine(string resourceId, Func<FleetMachineChange, FleetMachineChange> change)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        ArgumentNullException.ThrowIfNull(change);
        UpdateFleet(fleet => MachineUpdate.Apply(fleet, resourceId, change));
    }

    /// <summary>
    /// Writes one event of the subscription's Event Grid system topic to <see cref="ArmEmulatorOptions.EventQueue"/>
    /// as Event Grid's Storage Queue destination does: one message holding the event as one JSON object, in the
    /// configured schema and encoding. The queue is created first when it is missing. The write is recorded in
    /// <see cref="Deliveries"/>.
    /// </summary>
    /// <param name="resourceEvent">The event; see <see cref="ResourceEvent.Write"/> and its siblings.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What was written, and where.</returns>
    /// <exception cref="InvalidOperationException"><see cref="ArmEmulatorOptions.EventQueue"/> was not set.</exception>
    /// <exception cref="ArgumentException">The event's resource id is not under a subscription.</exception>
    /// <exception cref="Azure.RequestFailedException">The storage service refused the queue or the message.</exception>
    /// <exception cref="AggregateException">The storage service could not be reached, retries included.</exception>
    /// <exception cref="ObjectDisposedException">The emulator has been disposed.</exception>
    public Task<EventDelivery> PublishResourceEventAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken = default) =>
        _backend.Events.PublishAsync(resourceEvent, cancellationToken);

    /// <summary>Completes when the Run Command events started so far have been written or have failed.</summary>
    internal Task WhenEventsDeliveredAsync() => _backend.Events.WhenIdleAsync();

    /// <summary>Stops Kestrel and frees the port; event writes still under way are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            await _backend.Events.DisposeAsync().ConfigureAwait(false);
            _serverCertificate.Dispose();
            Certificate.Dispose();
        }
    }

    private static WebApplication Build(EmulatorBackend backend, X509Certificate2 serverCertificate, ILoggerFactory? loggerFactory)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ArmEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate));
        });

        var app = builder.Build();
        app.Use(new RequestGate(backend).InvokeAsync);
        app.MapArm(backend);
        return app;
    }
}
