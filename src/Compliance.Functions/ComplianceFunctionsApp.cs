using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using Compliance.Azure;
using Compliance.Azure.Storage;
using Compliance.Functions.Api;
using Compliance.Functions.Events;
using Compliance.Functions.Hosting;
using Compliance.Functions.Invocations;
using Compliance.Functions.Scanning;
using Microsoft.Extensions.Options;

namespace Compliance.Functions;

/// <summary>
/// Builds the app. Under the Functions host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set) it listens on that loopback port
/// and serves the invocation paths and the forwarded API; on its own it listens where it is told (default
/// <c>http://127.0.0.1:7071</c>), runs its own scheduler and the batch queue's worker, serves the Event Grid webhook, and requires the API
/// key unless it listens on loopback only. In both, each caller of <c>/api</c> has its own rate limit
/// (<see cref="ApiRateLimit"/>) and requests are logged without their query string (<see cref="RequestLogging"/>).
/// </summary>
public static class ComplianceFunctionsApp
{
    /// <summary>The environment variable the Functions host sets for a custom handler.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Builds the app; <paramref name="configure"/> lets tests add configuration and replace services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var port = builder.Configuration[CustomHandlerPortVariable];
        var mode = string.IsNullOrWhiteSpace(port) ? HostingMode.Standalone : HostingMode.FunctionsHost;
        string? apiKey = null;
        if (mode == HostingMode.FunctionsHost)
        {
            // The host talks to the handler on loopback only; callers reach it through the host and its function keys.
            var handlerPort = int.Parse(port!, NumberStyles.None, CultureInfo.InvariantCulture);
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, handlerPort));
        }
        else
        {
            var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
            if (string.IsNullOrWhiteSpace(urls))
            {
                urls = ListenAddresses.Default;
                builder.WebHost.UseUrls(urls);
            }

            var key = builder.Configuration[$"{ApiOptions.SectionName}:{nameof(ApiOptions.Key)}"];
            if (!ListenAddresses.AreLoopbackOnly(urls))
            {
                apiKey = !string.IsNullOrWhiteSpace(key)
                    ? key
                    : throw new InvalidOperationException($"The app listens on {urls}, beyond loopback: set {ApiOptions.SectionName}:{nameof(ApiOptions.Key)} (at least 16 characters) so the API requires it.");
            }
        }

        if (!builder.Configuration.GetSection(TableStoreOptions.SectionName).GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value) && c.Key != nameof(TableStoreOptions.TablePrefix)))
        {
            throw new InvalidOperationException($"The app needs a store: set {TableStoreOptions.SectionName}:{nameof(TableStoreOptions.TableServiceUri)} (managed identity) or {TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}.");
        }

        RequestLogging.Add(builder);
        builder.Services.AddCompliance(builder.Configuration);
        builder.Services.AddSingleton(new HostingModeAccessor(mode));
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        ApiRateLimit.Add(builder.Services, mode, keyChecked: apiKey is not null);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Explain);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Compliance API";
            document.Info.Description = "Speculative-execution compliance of the VMs, scale-set instances and Cloud Services of a subscription.";
            return Task.CompletedTask;
        }));
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default;
        });

        if (mode == HostingMode.Standalone)
        {
            builder.Services.AddHostedService<ScanService>();
            builder.Services.AddHostedService<StandaloneScheduler>();
        }

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
        app.UseRateLimiter();

        // The host checks readiness with GET / (any answer will do).
        app.MapGet("/", () => Results.Ok(new { service = "Compliance", mode = mode.ToString() })).ExcludeFromDescription();
        ComplianceApiEndpoints.Map(app, mode);
        DashboardEndpoint.Map(app);
        app.MapOpenApi("/api/openapi.json");
        if (mode == HostingMode.FunctionsHost)
        {
            FunctionEndpoints.Map(app);
        }
        else
        {
            EventGridWebhook.Map(app);
        }

        return app;
    }

    /// <summary>The options validation the host runs at start, for tests that build without starting.</summary>
    internal static void ValidateOptions(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();
}
