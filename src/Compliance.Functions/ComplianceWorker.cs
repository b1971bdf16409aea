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
/// <c>compliance serve</c>, and the per-caller rate limit on the HTTP triggers. Function keys are the host's business.
/// </summary>
public static class ComplianceWorker
{
    /// <summary>Configures the worker built by <c>FunctionsApplication.CreateBuilder</c>.</summary>
    public static void Configure(FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddServices(builder.Services, builder.Configuration);
        builder.UseMiddleware<ApiRateLimitMiddleware>();
    }

    /// <summary>The services of the functions, for the worker and for tests that call the functions directly.</summary>
    public static IServiceCollection AddServices(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddCompliance(configuration);
        services.AddComplianceApi(configuration, HostingMode.FunctionsHost, keyChecked: false);
        return services;
    }
}
