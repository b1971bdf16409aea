using Compliance.Azure;
using Compliance.Functions.Hosting;
using Compliance.Server;
using Compliance.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Functions;

/// <summary>
/// The worker's services: the scan pipeline and its stores (storage from <c>AzureWebJobsStorage</c>, which the host
/// always sets, unless <c>Compliance:Storage</c> names another), the API's services shared with
/// <c>compliance serve</c>, the role check of App Service Authentication and the rate limits on the HTTP triggers.
/// Function keys are the host's business.
/// </summary>
public static class ComplianceWorker
{
    /// <summary>The setting the platform sets to <c>True</c> while App Service Authentication is on.</summary>
    public const string EasyAuthEnabledSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>Configures the worker built by <c>FunctionsApplication.CreateBuilder</c>.</summary>
    public static void Configure(FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddServices(builder.Services, builder.Configuration);
        // The role check before the limits, as compliance serve checks keys first: a refused caller takes no one's tokens.
        builder.UseMiddleware<AppServiceAuthorizationMiddleware>();
        builder.UseMiddleware<ApiRateLimitMiddleware>();
    }

    /// <summary>The services of the functions, for the worker and for tests that call the functions directly.</summary>
    public static IServiceCollection AddServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddCompliance(configuration);
        services.AddComplianceApi(configuration, HostingMode.FunctionsHost);
        // The platform sets WEBSITE_AUTH_ENABLED while App Service Authentication is on (the host reads it too); only then
        // does the front end remove an X-MS-CLIENT-PRINCIPAL a client wrote itself, so only then may roles be believed.
        services.AddOptions<ApiOptions>().Validate(
            options => options.Authentication != ApiAuthentication.AppService || string.Equals(configuration[EasyAuthEnabledSetting], "true", StringComparison.OrdinalIgnoreCase),
            $"{ApiOptions.SectionName}:{nameof(ApiOptions.Authentication)} is {nameof(ApiAuthentication.AppService)}, but App Service Authentication is off ({EasyAuthEnabledSetting} is not True): the caller's roles could be forged.");
        return services;
    }
}
