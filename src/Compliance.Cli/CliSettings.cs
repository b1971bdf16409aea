using System.Globalization;
using Compliance.Azure.Storage;
using Compliance.Core.Scanning;
using Microsoft.Extensions.Configuration;

namespace Compliance.Cli;

/// <summary>
/// The CLI's configuration: the same keys as the Functions app settings (environment variables such as
/// <c>Compliance__Scan__MaxConcurrency</c>), with command-line values on top.
/// </summary>
internal sealed record CliSettings(bool Verbose, int? Concurrency, string? StoreConnectionString = null)
{
    public IConfiguration Build(IDictionary<string, string?> overrides)
    {
        var values = new Dictionary<string, string?>(overrides, StringComparer.OrdinalIgnoreCase);
        if (Concurrency is { } concurrency)
        {
            values[$"{ScanOptions.SectionName}:{nameof(ScanOptions.MaxConcurrency)}"] = concurrency.ToString(CultureInfo.InvariantCulture);
        }

        if (StoreConnectionString is not null)
        {
            values[$"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}"] = StoreConnectionString;
        }

        return new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(values)
            .Build();
    }
}
