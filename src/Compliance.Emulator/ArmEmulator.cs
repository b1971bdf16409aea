using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Compliance.Emulator.Arm;
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

    /// <summary>The bearer token every request must carry; random per start.</summary>
    public string AccessToken => _backend.AccessToken;

    /// <summary>Every Run Command POST received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRunCommand> RunCommands => _backend.Journal.RunCommands;

    /// <summary>Every request received so far with the status it got, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _backend.Journal.Requests;

    /// <summary>The fleet as currently served.</summary>
    internal FleetDocument Fleet => _backend.Fleet.Current.Document;

    /// <summary>The Run Command operations accepted so far.</summary>
    internal IReadOnlyList<RunCommandOperation> Operations => _backend.Operations.All;

    /// <summary>Starts an emulator serving <paramref name="fleet"/> on a free loopback port.</summary>
    /// <exception cref="FleetFormatException">The fleet breaks a rule of the fleet format.</exception>
    public static async Task<ArmEmulator> StartAsync(FleetDocument fleet, ArmEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        options ??= new ArmEmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        FleetValidator.Validate(fleet, "fleet");

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var backend = new EmulatorBackend(fleet, options.PageSize, options.TimeProvider, token);
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

            serverCertificate.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the served fleet, e.g. to change a power state while a scan runs.</summary>
    internal void UpdateFleet(Func<FleetDocument, FleetDocument> change) => _backend.Fleet.Update(change);

    /// <summary>Stops Kestrel and frees the port.</summary>
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
