using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Tests;

/// <summary>
/// The real app on a real Kestrel port, against the ARM emulator (through the real SDK client) and Azurite: either as
/// the Functions host would start it (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>) or on its own.
/// </summary>
internal sealed class AppUnderTest : IAsyncDisposable
{
    private AppUnderTest(WebApplication app, ArmEmulator emulator, string prefix, string connectionString)
    {
        App = app;
        Emulator = emulator;
        TablePrefix = prefix;
        ConnectionString = connectionString;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public WebApplication App { get; }

    public ArmEmulator Emulator { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public string TablePrefix { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts the app; <paramref name="logs"/>, when given, receives every entry of every category at every level.</summary>
    public static async Task<AppUnderTest> StartAsync(
        AzuriteFixture azurite,
        string fleet,
        bool hosted = false,
        IDictionary<string, string?>? settings = null,
        string urls = "http://127.0.0.1:0",
        ArmEmulatorOptions? emulatorOptions = null,
        ILoggerProvider? logs = null)
    {
        var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(fleet), emulatorOptions);
        var prefix = "f" + Guid.NewGuid().ToString("N")[..12];
        var values = new Dictionary<string, string?>
        {
            ["Compliance:Arm:Endpoint"] = emulator.Endpoint.ToString(),
            ["Compliance:Arm:RetryDelay"] = "00:00:00.010",
            ["Compliance:Arm:RunCommandConflictBackoff"] = "00:00:00.010",
            ["Compliance:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Compliance:Storage:TablePrefix"] = prefix,
            // A schedule that does not fire during a test: the tests start scans themselves.
            ["Compliance:Scan:Schedule"] = "0 0 0 1 1 *",
            // Tests poll the API faster than any caller should; the tests of the limit set their own.
            ["Compliance:Api:RequestsPerMinute"] = "100000",
        };
        if (hosted)
        {
            values[ComplianceFunctionsApp.CustomHandlerPortVariable] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        WebApplication? app = null;
        try
        {
            app = ComplianceFunctionsApp.Build(hosted ? [] : ["--urls", urls], builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                builder.Logging.ClearProviders();
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                    builder.Logging.SetMinimumLevel(LogLevel.Trace);
                }

                builder.Services.AddSingleton<TokenCredential>(new StaticTokenCredential(emulator.AccessToken));
                builder.Services.AddSingleton(sp => ComplianceArmClientFactory.Create(
                    sp.GetRequiredService<IOptions<ArmOptions>>().Value,
                    sp.GetRequiredService<TokenCredential>(),
                    emulator.Certificate));
            });
            await app.StartAsync();
        }
        catch
        {
            // A start that fails (a test of invalid settings) must not leave the emulator running.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            await emulator.DisposeAsync();
            throw;
        }

        return new AppUnderTest(app, emulator, prefix, azurite.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = ConnectionString, TablePrefix = TablePrefix }, new StaticTokenCredential("unused"));
        await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
    }

    /// <summary>Starts a scan with <c>POST /api/scans</c> and waits until the app records it as finished.</summary>
    public async Task<JsonElement> ScanAsync(string body = "")
    {
        using var started = await Http.PostAsync("api/scans", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var scanId = (await ReadJsonAsync(started)).GetProperty("scanId").GetString();
        Assert.Equal($"/api/scans/{scanId}", started.Headers.Location?.OriginalString);
        return await WaitForScanAsync(scanId!);
    }

    /// <summary>Waits until <paramref name="scanId"/> is recorded as finished; fails the test after a minute.</summary>
    public async Task<JsonElement> WaitForScanAsync(string scanId)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            using var response = await Http.GetAsync($"api/scans/{scanId}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var scan = await ReadJsonAsync(response);
                if (scan.GetProperty("completedAt").ValueKind == JsonValueKind.String)
                {
                    return scan;
                }
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Scan {scanId} did not finish within a minute.");
            await Task.Delay(50);
        }
    }

    /// <summary>GETs <paramref name="path"/> and returns its JSON, failing the test unless it is a 200.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Asserts that <paramref name="response"/> is a problem of <paramref name="status"/>, and returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        Assert.False(string.IsNullOrWhiteSpace(detail), $"The problem has no detail: {text}");
        return detail!;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
