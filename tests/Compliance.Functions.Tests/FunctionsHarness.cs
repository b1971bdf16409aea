using System.Text;
using Azure.Storage.Queues.Models;
using Compliance.Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Tests;

/// <summary>
/// The worker's services (<see cref="ComplianceWorker.AddServices"/>) as the host would start them, with only
/// <c>AzureWebJobsStorage</c> for storage (Azurite, tables and queues under a prefix of their own) and ARM played by
/// the emulator, so the function classes can be called directly: their triggers' values made here, their HTTP requests
/// as <see cref="DefaultHttpContext"/>s, their results executed as the ASP.NET Core integration executes them.
/// </summary>
internal sealed class FunctionsHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ScratchStoreTables _tables;

    private FunctionsHarness(ServiceProvider services, ArmEmulator emulator, ScratchStoreTables tables, string connectionString)
    {
        _services = services;
        Emulator = emulator;
        _tables = tables;
        Batches = new QueueProbe(connectionString, tables.BatchQueueName);
        Events = new QueueProbe(connectionString, tables.EventsQueueName);
        Rechecks = new QueueProbe(connectionString, tables.RecheckQueueName);
    }

    public IServiceProvider Services => _services;

    public ArmEmulator Emulator { get; }

    /// <summary>The batch queue, as stored.</summary>
    public QueueProbe Batches { get; }

    /// <summary>The resource-change queue the emulator's events go to, as stored.</summary>
    public QueueProbe Events { get; }

    /// <summary>The re-check queue the resource-change trigger schedules re-checks on, as stored.</summary>
    public QueueProbe Rechecks { get; }

    public IVerdictStore Verdicts => Services.GetRequiredService<IVerdictStore>();

    public IScanLedger Ledger => Services.GetRequiredService<IScanLedger>();

    public static async Task<FunctionsHarness> StartAsync(
        AzuriteFixture azurite,
        string fleet,
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        ILoggerProvider? logs = null,
        EventMessageEncoding eventEncoding = EventMessageEncoding.Base64,
        EventDeliverySchema eventSchema = EventDeliverySchema.EventGrid)
    {
        var tables = new ScratchStoreTables(azurite);
        var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(fleet), new ArmEmulatorOptions
        {
            EventQueue = new EventQueueOptions { ConnectionString = azurite.ConnectionString, QueueName = tables.EventsQueueName, Encoding = eventEncoding, Schema = eventSchema },
        });
        var values = tables.AppSettings(emulator, tables.EventsQueueName);
        // What the host gives every worker; the store and both queues come from it alone.
        values["AzureWebJobsStorage"] = azurite.ConnectionString;
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Trace);
            }
        });
        services.AddComplianceArmTrusting(new StaticTokenCredential(emulator.AccessToken), emulator.Certificate);
        ComplianceWorker.AddServices(services, configuration);
        return new FunctionsHarness(services.BuildServiceProvider(validateScopes: true), emulator, tables, azurite.ConnectionString);
    }

    /// <summary>A function class as the worker activates it: from the services.</summary>
    public T Function<T>()
        where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>A request to <paramref name="path"/> (with its query) as the ASP.NET Core integration hands it to a function.</summary>
    public HttpContext Request(string method, string path, string? body = null, IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>Executes <paramref name="result"/> into <paramref name="context"/>'s response and reads it back.</summary>
    public static async Task<HttpAnswer> ExecuteAsync(IResult result, HttpContext context)
    {
        await result.ExecuteAsync(context);
        return HttpAnswer.Of(context);
    }

    /// <summary>A queue message as the trigger delivers it (its text as stored), delivered <paramref name="dequeueCount"/> times.</summary>
    public static QueueMessage Message(string text, long dequeueCount = 1) =>
        QueuesModelFactory.QueueMessage("m-" + Guid.NewGuid().ToString("N"), "receipt", new BinaryData(text), dequeueCount);

    /// <summary>
    /// Delivers every visible message of the re-check queue to <see cref="Compliance.Functions.Functions.RecheckResource"/>, as the host's
    /// trigger does: deleted once the invocation succeeds, left hidden when it fails; how many invocations succeeded.
    /// </summary>
    public async Task<int> RunRechecksAsync()
    {
        var function = Function<Compliance.Functions.Functions.RecheckResource>();
        await Rechecks.Queue.CreateIfNotExistsAsync();
        var done = 0;
        while (true)
        {
            QueueMessage[] messages = await Rechecks.Queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5));
            if (messages.Length == 0)
            {
                return done;
            }

            foreach (var message in messages)
            {
                await function.RunAsync(message, CancellationToken.None);
                await Rechecks.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                done++;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Emulator.DisposeAsync();
        await _tables.DisposeAsync();
        await Batches.DeleteAsync();
        await Events.DeleteAsync();
        await Rechecks.DeleteAsync();
    }
}
