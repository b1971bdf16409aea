using System.Text.Json.Serialization;
using Compliance.Server.Events;
using Compliance.Server.Hosting;

namespace Compliance.Server;

/// <summary>
/// What the API needs in either host: its options (validated at start), the mode it reports, the rate limiter, the
/// the limit on failed authentications, the problem documents, the JSON the routes write and the resource-change handler.
/// </summary>
public static class ComplianceApiServices
{
    /// <summary>
    /// Adds the API's services for the app running as <paramref name="mode"/>.
    /// </summary>
    public static IServiceCollection AddComplianceApi(this IServiceCollection services, IConfiguration configuration, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(new HostingModeAccessor(mode));
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new ApiRateLimiter(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>(),
            mode,
            sp.GetRequiredService<ILogger<ApiRateLimiter>>()));
        services.AddSingleton(sp => new FailedAuthenticationLimiter(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>(),
            mode,
            sp.GetRequiredService<ILogger<FailedAuthenticationLimiter>>()));
        services.AddSingleton<ResourceChangeHandler>();
        services.AddSingleton<ResourceRecheckHandler>();
        services.AddSingleton<RemediationStepHandler>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.Explain);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default;
        });
        return services;
    }
}
