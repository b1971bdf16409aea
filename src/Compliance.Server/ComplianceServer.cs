using Compliance.Azure;
using Compliance.Azure.Storage;
using Compliance.Server.Api;
using Compliance.Server.Events;
using Compliance.Server.Hosting;
using Compliance.Server.Scanning;

namespace Compliance.Server;

/// <summary>
/// The service without the Functions host (<c>compliance serve</c>, containers): one ASP.NET Core process with the API
/// and the dashboard (the same handlers as the Functions app's HTTP triggers), the scheduler (the timer's NCRONTAB
/// setting), the batch queue's consumer, the resource-change queue's consumer and the re-check queue's consumer. It listens where it is told (default
/// <c>http://127.0.0.1:7071</c>) and requires the API key unless it listens on loopback only. Each caller of
/// <c>/api</c> has its own rate limit (<see cref="ApiRateLimiter"/>) and requests are logged without their query string
/// (<see cref="RequestLogging"/>).
/// </summary>
public static class ComplianceServer
{
    /// <summary>Builds the app; <paramref name="configure"/> lets the CLI and tests add configuration and replace services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = ListenAddresses.Default;
            builder.WebHost.UseUrls(urls);
        }

        string? apiKey = null;
        var key = builder.Configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Key)}"];
        if (!ListenAddresses.AreLoopbackOnly(urls))
        {
            apiKey = !string.IsNullOrWhiteSpace(key)
                ? key
                : throw new InvalidOperationException($"The app listens on {urls}, beyond loopback: set {ApiOptions.SectionName}:{nameof(ApiOptions.Key)} (at least 16 characters) so the API requires it.");
        }

        if (!HostStorageSettings.IsConfigured(builder.Configuration))
        {
            throw new InvalidOperationException($"The app needs a store: set {HostStorageSettings.Name} (a connection string), or {TableStoreOptions.SectionName}:{nameof(TableStoreOptions.TableServiceUri)} and {nameof(TableStoreOptions.QueueServiceUri)} (managed identity), or {TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}.");
        }

        RequestLogging.Add(builder);
        builder.Services.AddCompliance(builder.Configuration);
        builder.Services.AddComplianceApi(builder.Configuration, HostingMode.Standalone, keyChecked: apiKey is not null);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Compliance API";
            document.Info.Description = "Speculative-execution compliance of the VMs, scale-set instances and Cloud Services of a subscription.";
            return Task.CompletedTask;
        }));
        builder.Services.AddHostedService<ScanService>();
        builder.Services.AddHostedService<StandaloneScheduler>();
        builder.Services.AddHostedService<ResourceChangeQueueService>();
        builder.Services.AddHostedService<ResourceRecheckQueueService>();

        var app = builder.Build();
        app.UseHttpLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (apiKey is not null)
        {
            app.UseMiddleware<ApiKeyMiddleware>(apiKey);
        }

        // After the key check, so that a request counts against its key only once the key is known to be right, and a
        // request without the right key is refused before it takes anyone's tokens.
        var limiter = app.Services.GetRequiredService<ApiRateLimiter>();
        app.Use(async (context, next) =>
        {
            if (await limiter.AdmitAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }
        });

        app.MapGet("/", () => Results.Ok(new { service = "Compliance", mode = nameof(HostingMode.Standalone) })).ExcludeFromDescription();
        ComplianceApiEndpoints.Map(app);
        app.MapOpenApi("/api/openapi.json");
        return app;
    }
}
