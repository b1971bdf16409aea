using System.Net;
using System.Text;
using System.Text.Json;
using Compliance.Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Compliance.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Testing;

/// <summary>
/// The service as <c>compliance serve</c> runs it (<see cref="ComplianceServer"/>), in this process on a real Kestrel
/// port, against the ARM emulator (reached through the real SDK client) and a store and queues on Azurite under a
/// prefix of its own.
/// </summary>
public sealed class AppUnderTest : IAsyncDisposable
{
    private readonly string[] _args;
    private readonly Dictionary<string, string?> _settings;
    private readonly ILoggerProvider? _logs;
    private readonly ScratchStoreTables _tables;

    private AppUnderTest(WebApplication app, ArmEmulator emulator, ScratchStoreTables tables, string[] args, Dictionary<string, string?> settings, ILoggerProvider? logs)
    {
        App = app;
        Emulator = emulator;
        _tables = tables;
        _args = args;
        _settings = settings;
        _logs = logs;
        BaseAddress = AddressOf(app);
        Http = Client(BaseAddress);
        EventsQueue = new QueueProbe(settings["Compliance:Storage:ConnectionString"]!, EventsQueueName);
        RechecksQueue = new QueueProbe(settings["Compliance:Storage:ConnectionString"]!, settings["Compliance:Events:RecheckQueueName"]!);
    }

    public WebApplication App { get; private set; }

    public ArmEmulator Emulator { get; }

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:51234/</c>; a new port after <see cref="RestartAsync"/>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>A client of <see cref="BaseAddress"/>.</summary>
    public HttpClient Http { get; private set; }

    public string TablePrefix => _tables.Prefix;

    /// <summary>The app's resource-change queue, which the emulator's events go to unless its options name another.</summary>
    public string EventsQueueName => _settings["Compliance:Events:QueueName"]!;

    /// <summary>The app's resource-change queue and its poison queue, written and read as stored.</summary>
    public QueueProbe EventsQueue { get; }

    /// <summary>The app's re-check queue and its poison queue, written and read as stored.</summary>
    public QueueProbe RechecksQueue { get; }

    /// <summary>
    /// Waits until every event written so far is handled and every re-check it scheduled has run (both queues
    /// drained); fails the test after <paramref name="timeout"/>.
    /// </summary>
    public async Task EventsHandledAsync(TimeSpan timeout, string what)
    {
        await EventsQueue.DrainedAsync(timeout, what);
        await RechecksQueue.DrainedAsync(timeout, what + " (its re-check)");
    }

    public IServiceProvider Services => App.Services;

    public IVerdictStore Verdicts => Services.GetRequiredService<IVerdictStore>();

    public IScanLedger Ledger => Services.GetRequiredService<IScanLedger>();

    /// <summary>Starts the app on the Azurite of <paramref name="azurite"/>; see the overload on a connection string.</summary>
    public static Task<AppUnderTest> StartAsync(
        AzuriteFixture azurite,
        string fleet,
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        string urls = "http://127.0.0.1:0",
        ArmEmulatorOptions? emulatorOptions = null,
        ILoggerProvider? logs = null,
        IEnumerable<string>? args = null) =>
        StartAsync(azurite.ConnectionString, fleet, settings, urls, emulatorOptions, logs, args);

    /// <summary>
    /// Starts the app on the fleet file <paramref name="fleet"/>, with <paramref name="settings"/> applied in order over
    /// the tests' defaults; <paramref name="logs"/>, when given, receives every entry of every category at every level;
    /// <paramref name="args"/> go on the command line after <c>--urls</c>.
    /// </summary>
    public static async Task<AppUnderTest> StartAsync(
        string connectionString,
        string fleet,
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        string urls = "http://127.0.0.1:0",
        ArmEmulatorOptions? emulatorOptions = null,
        ILoggerProvider? logs = null,
        IEnumerable<string>? args = null)
    {
        var tables = new ScratchStoreTables(connectionString);
        // The emulator plays the system topic: its events reach the app's own resource-change queue, as in Azure.
        emulatorOptions ??= new ArmEmulatorOptions();
        emulatorOptions.EventQueue ??= new EventQueueOptions { ConnectionString = connectionString, QueueName = tables.EventsQueueName };
        var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(fleet), emulatorOptions);
        var values = tables.AppSettings(emulator, emulatorOptions.EventQueue.QueueName);
        values["Compliance:Storage:ConnectionString"] = connectionString;
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        string[] commandLine = ["--urls", urls, .. args ?? []];
        try
        {
            var app = await StartAppAsync(emulator, commandLine, values, logs);
            return new AppUnderTest(app, emulator, tables, commandLine, values, logs);
        }
        catch
        {
            // A start that fails (a test of invalid settings) must not leave the emulator running.
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the app and starts a new one on the same settings, store and emulator: a restart of the process.</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        App = await StartAppAsync(Emulator, _args, _settings, _logs);
        BaseAddress = AddressOf(App);
        Http = Client(BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
        await _tables.DisposeAsync();
    }

    /// <summary>Starts a scan with <c>POST /api/scans</c> and waits until the app records it as finished; returns the scan.</summary>
    public async Task<JsonElement> ScanAsync(string body = "", TimeSpan? timeout = null)
    {
        using var started = await Http.PostAsync("api/scans", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await started.Content.ReadAsStringAsync();
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"POST /api/scans: {(int)started.StatusCode} {text}");
        var scanId = JsonDocument.Parse(text).RootElement.GetProperty("scanId").GetString()!;
        Assert.Equal($"/api/scans/{scanId}", started.Headers.Location?.OriginalString);
        return await WaitForScanAsync(Http, scanId, timeout ?? TimeSpan.FromMinutes(3));
    }

    /// <summary>
    /// Waits until the app at <paramref name="http"/>'s base address records <paramref name="scanId"/> as finished, and
    /// returns the scan; an app that does not answer (between two lives) is asked again. Fails the test after
    /// <paramref name="timeout"/>.
    /// </summary>
    public static async Task<JsonElement> WaitForScanAsync(HttpClient http, string scanId, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"api/scans/{scanId}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var scan = await ReadJsonAsync(response);
                    if (scan.GetProperty("completedAt").ValueKind == JsonValueKind.String)
                    {
                        return scan;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening (yet, or again): ask again.
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Scan {scanId} did not finish within {timeout}.");
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

    private static async Task<WebApplication> StartAppAsync(ArmEmulator emulator, string[] args, Dictionary<string, string?> values, ILoggerProvider? logs)
    {
        var app = ComplianceServer.Build(args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
            }

            builder.Services.AddComplianceArmTrusting(new StaticTokenCredential(emulator.AccessToken), emulator.Certificate);
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

    private static Uri AddressOf(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        // An app bound to every address is reached on loopback.
        return new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    private static HttpClient Client(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
}
