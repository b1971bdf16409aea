using Microsoft.Extensions.Configuration;

namespace Compliance.Azure.Storage;

/// <summary>
/// The store when <c>Compliance:Storage</c> names none: the Functions host's own storage setting,
/// <c>AzureWebJobsStorage</c>, so an app started as the host starts it needs nothing more. It is a connection string, or
/// (with managed identity) <c>AzureWebJobsStorage__tableServiceUri</c> and <c>__queueServiceUri</c>, or
/// <c>AzureWebJobsStorage__accountName</c> for an account in Azure's public cloud. The specific settings win.
/// </summary>
public static class HostStorageSettings
{
    /// <summary>The host's storage setting.</summary>
    public const string Name = "AzureWebJobsStorage";

    /// <summary>Whether <paramref name="configuration"/> configures a store, by either kind of setting.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        Has(configuration, $"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}")
        || Has(configuration, $"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.TableServiceUri)}")
        || Has(configuration, Name)
        || Has(configuration, $"{Name}:tableServiceUri")
        || Has(configuration, $"{Name}:accountName");

    /// <summary>Fills <paramref name="options"/> from <c>AzureWebJobsStorage</c> when it names no store of its own.</summary>
    public static void Apply(TableStoreOptions options, IConfiguration configuration)
    {
        if (options.IsConfigured)
        {
            return;
        }

        if (Has(configuration, Name))
        {
            options.ConnectionString = configuration[Name];
            return;
        }

        var account = configuration[$"{Name}:accountName"];
        options.TableServiceUri = UriOf(configuration, "tableServiceUri") ?? Endpoint(account, "table");
        options.QueueServiceUri ??= UriOf(configuration, "queueServiceUri") ?? Endpoint(account, "queue");
    }

    private static bool Has(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);

    private static Uri? UriOf(IConfiguration configuration, string key) =>
        configuration[$"{Name}:{key}"] is { Length: > 0 } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException($"{Name}__{key} must be an absolute URL.")
            : null;

    private static Uri? Endpoint(string? account, string service) =>
        string.IsNullOrWhiteSpace(account) ? null : new Uri($"https://{account.Trim()}.{service}.core.windows.net/");
}
