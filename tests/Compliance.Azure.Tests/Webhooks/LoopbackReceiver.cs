using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.Tests.Webhooks;

/// <summary>
/// A Kestrel app on 127.0.0.1 and a free port that records every request and answers what <see cref="Respond"/>
/// says (200 by default). With HTTPS it presents a self-signed certificate made for this instance only.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2? _serverCertificate;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private LoopbackReceiver(WebApplication app, X509Certificate2? serverCertificate)
    {
        _app = app;
        _serverCertificate = serverCertificate;
        Certificate = serverCertificate is null ? null : X509CertificateLoader.LoadCertificate(serverCertificate.RawData);
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:51234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The server certificate (public part) when the receiver runs HTTPS.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Sets the answer to a request; leaving the response alone answers 200 with no body.</summary>
    public Func<ReceivedRequest, HttpContext, Task> Respond { get; set; } = (_, _) => Task.CompletedTask;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<LoopbackReceiver> StartAsync(bool https = false)
    {
        var certificate = https ? CreateCertificate() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app, certificate);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.BaseAddress = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{new Uri(address).Port}/");
        return receiver;
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _serverCertificate?.Dispose();
        Certificate?.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            headers,
            body.ToArray());
        _requests.Enqueue(request);
        await Respond(request, context);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Compliance loopback receiver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore.AddDays(2));

        // On Linux, Kestrel can only use the private key of a certificate loaded from PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
