using Compliance.Azure;
using Compliance.Azure.Storage;
using Compliance.Server.Api;
using Compliance.Server.Events;
using Compliance.Server.Hosting;
using Compliance.Server.Scanning;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Compliance.Server;

/// <summary>
/// The service without the Functions host (<c>compliance serve</c>, containers): one ASP.NET Core process with the API
/// and the dashboard (the same handlers as the Functions app's HTTP triggers), the scheduler (the timer's NCRONTAB
/// setting), the batch queue's consumer, the resource-change queue's consumer and the re-check queue's consumer. It
/// listens where it is told (default <c>http://127.0.0.1:7071</c>) and refuses to start beyond loopback without a read
/// key (<see cref="ListenCheck"/>); reading needs the read or operator key, operating the operator key
/// (<see cref="ApiAccessMiddleware"/>). Each address and each key of <c>/api</c> has its own rate limit
/// (<see cref="ApiRateLimiter"/>) and requests are logged without their query string
/// (<see cref="RequestLogging"/>).
/// </summary>
public static class ComplianceServer
{
    /// <summary>Builds the app; <paramref name="configure"/> lets the CLI and tests add configuration and replace services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // Kestrel:Endpoints, when configured, still overrides this; ListenCheck judges what was bound in the end.
            builder.WebHost.UseUrls(ListenAddresses.Default);
        }

        if (!HostStorageSettings.IsConfigured(builder.Configuration))
        {
            throw new InvalidOperationException($"The app needs a store: set {HostStorageSettings.Name} (a connection string), or {TableStoreOptions.SectionName}:{nameof(TableStoreOptions.TableServiceUri)} and {nameof(TableStoreOptions.QueueServiceUri)} (managed identity), or {TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}.");
        }

        // One limit for every body, below Kestrel's 30 MB default: the API reads one small body (a scan start).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestInput.MaxBodyBytes);
        RequestLogging.Add(builder);
        builder.Services.AddCompliance(builder.Configuration);
        builder.Services.AddComplianceApi(builder.Configuration, HostingMode.Standalone);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ApiOptions>>().Value;
            return new ApiKeys(options.ReadKeyInEffect(), options.OperatorKey);
        });
        // The workers are started by the listen check once it has passed, so a refused start does no work.
        builder.Services.AddSingleton<ScanService>();
        builder.Services.AddSingleton<StandaloneScheduler>();
        builder.Services.AddSingleton<ResourceChangeQueueService>();
        builder.Services.AddSingleton<ResourceRecheckQueueService>();
        builder.Services.AddSingleton<ExemptionSweepService>();
        builder.Services.AddSingleton<RemediationQueueService>();
        builder.Services.AddSingleton(sp => new ListenCheck(
            sp.GetRequiredService<IServer>(),
            sp.GetRequiredService<ApiKeys>(),
            [sp.GetRequiredService<ScanService>(), sp.GetRequiredService<StandaloneScheduler>(), sp.GetRequiredService<ResourceChangeQueueService>(), sp.GetRequiredService<ResourceRecheckQueueService>(), sp.GetRequiredService<ExemptionSweepService>(), sp.GetRequiredService<RemediationQueueService>()]));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ListenCheck>());
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Compliance API";
            document.Info.Description = "Speculative-execution compliance of the VMs, scale-set instances and Cloud Services of a subscription.";
            return Task.CompletedTask;
        }));

        var app = builder.Build();
        var listenCheck = app.Services.GetRequiredService<ListenCheck>();
        app.Use(async (context, next) =>
        {
            if (listenCheck.Passed)
            {
                await next(context).ConfigureAwait(false);
            }
            else
            {
                await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Starting", "The app is starting; retry in a moment.").ConfigureAwait(false);
            }
        });
        app.UseHttpLogging();
        // A request the server refuses as it is read (a body over the limit, cut short) keeps its 4xx as a problem.
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = RequestInput.StatusOf });
        app.UseStatusCodePages();
        // Before the access check: refusing an oversized body or invalid Unicode costs nothing and reads nothing.
        app.Use((context, next) => RequestInput.Refusal(context) is { } refusal ? refusal.ExecuteAsync(context) : next(context));

        // Routing before the access check, which reads each route's permission from its endpoint.
        app.UseRouting();
        app.UseMiddleware<ApiAccessMiddleware>();

        // After the access check, so that a request counts against its key only once the key is known to be right, and
        // a request without the right key is refused (and counted as a failure) before it takes anyone's tokens.
        var limiter = app.Services.GetRequiredService<ApiRateLimiter>();
        app.Use(async (context, next) =>
        {
            if (await limiter.AdmitAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }
        });

        app.MapGet("/", () => Results.Ok(new { service = "Compliance", mode = nameof(HostingMode.Standalone) })).ExcludeFromDescription().WithMetadata(ApiPermission.Anonymous);
        ComplianceApiEndpoints.Map(app);
        app.MapOpenApi("/api/openapi.json").WithName("OpenApi").WithMetadata(ApiPermission.Of("OpenApi"));
        return app;
    }
}
