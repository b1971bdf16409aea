using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Compliance.Functions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Reliability.Tests;

/// <summary>
/// The whole system on loopback: the Functions app on its own (its queue, its scheduler off), the ARM emulator reached
/// through the real SDK client, a Table store on Azurite under a prefix of its own, and the notification receiver.
/// </summary>
internal sealed class ScanSystem : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private WebApplication _app;

    private ScanSystem(WebApplication app, ArmEmulator emulator, Dictionary<string, string?> settings, string prefix, string connectionString)
    {
        _app = app;
        _settings = settings;
        Emulator = emulator;
        TablePrefix = prefix;
        ConnectionString = connectionString;
        Http = Client(app);
    }

    public ArmEmulator Emulator { get; }

    public string TablePrefix { get; }

    public string ConnectionString { get; }

    public HttpClient Http { get; private set; }

    public IVerdictStore Verdicts => _app.Services.GetRequiredService<IVerdictStore>();

    public IScanLedger Ledger => _app.Services.GetRequiredService<IScanLedger>();

    public static async Task<ScanSystem> StartAsync(
        string connectionString,
        string fleet,
        NotificationReceiver? receiver,
        ArmEmulatorOptions? emulatorOptions = null,
        IDictionary<string, string?>? settings = null,
        bool hosted = false)
    {
        var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(fleet), emulatorOptions);
        var prefix = "r" + Guid.NewGuid().ToString("N")[..12];
        var values = new Dictionary<string, string?>
        {
            ["Compliance:Arm:Endpoint"] = emulator.Endpoint.ToString(),
            ["Compliance:Arm:RetryDelay"] = "00:00:00.050",
            ["Compliance:Arm:RunCommandConflictBackoff"] = "00:00:00.100",
            ["Compliance:Storage:ConnectionString"] = connectionString,
            ["Compliance:Storage:TablePrefix"] = prefix,
            ["Compliance:Scan:Schedule"] = "0 0 0 1 1 *",
            ["Compliance:Scan:BatchSize"] = "8",
            // The tests poll the API far more often than the per-caller limit meant for people and scripts.
            ["Compliance:Api:RequestsPerMinute"] = "100000",
        };
        if (hosted)
        {
            // As the Functions host starts it: invocation paths served, no queue or scheduler of its own.
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            values[ComplianceFunctionsApp.CustomHandlerPortVariable] = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in receiver?.Settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        try
        {
            var app = await StartAppAsync(emulator, values);
            return new ScanSystem(app, emulator, values, prefix, connectionString);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the app and starts a new one on the same store and emulator: a restart of the process.</summary>
    public async Task RestartAppAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = await StartAppAsync(Emulator, _settings);
        Http = Client(_app);
    }

    /// <summary>Starts a scan with <c>POST /api/scans</c> and waits until the app records it as finished.</summary>
    public async Task<string> ScanAsync(TimeSpan? timeout = null)
    {
        using var started = await Http.PostAsync("api/scans", new StringContent(string.Empty, Encoding.UTF8, "application/json"));
        var text = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"POST /api/scans: {(int)started.StatusCode} {text}");
        var scanId = JsonDocument.Parse(text).RootElement.GetProperty("scanId").GetString()!;
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync($"api/scans/{scanId}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var scan = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    if (scan.RootElement.GetProperty("completedAt").ValueKind == JsonValueKind.String)
                    {
                        return scanId;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The app may be between two lives (a restart); ask again.
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Scan {scanId} did not finish in time.");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = ConnectionString, TablePrefix = TablePrefix }, new StaticTokenCredential("unused"));
        try
        {
            await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
        }
        catch (global::Azure.RequestFailedException)
        {
            // The Azurite of a case that stopped its own may be gone already: nothing is left to delete.
        }
    }

    private static async Task<WebApplication> StartAppAsync(ArmEmulator emulator, Dictionary<string, string?> values)
    {
        string[] args = values.ContainsKey(ComplianceFunctionsApp.CustomHandlerPortVariable) ? [] : ["--urls", "http://127.0.0.1:0"];
        var app = ComplianceFunctionsApp.Build(args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<TokenCredential>(new StaticTokenCredential(emulator.AccessToken));
            builder.Services.AddSingleton(sp => ComplianceArmClientFactory.Create(
                sp.GetRequiredService<IOptions<ArmOptions>>().Value,
                sp.GetRequiredService<TokenCredential>(),
                emulator.Certificate));
        });
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/"), Timeout = TimeSpan.FromMinutes(1) };
    }
}
