using System.Globalization;
using System.Text.Json;

namespace Compliance.Infra.Tests;

/// <summary>A batch gives up its invocation before the Functions host would cut it off.</summary>
public sealed class FunctionTimeoutTests
{
    // Room after the budget runs out: store what was judged, answer the host.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private static TimeSpan FunctionTimeout()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(InfraDocuments.HostJson.Split('/'))));
        return TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void BatchTimeBudget_InBicepAndLocalSettings_EndsWellBeforeTheFunctionTimeout()
    {
        var timeout = FunctionTimeout();
        var infra = InfraModel.Read(InfraDocuments.Load());
        var bicep = Assert.Single(infra.AppSettings, s => s.Name == "Compliance__Scan__BatchTimeBudget").Value;
        using var local = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(InfraDocuments.LocalSettings.Split('/'))));
        var sample = local.RootElement.GetProperty("Values").GetProperty("Compliance__Scan__BatchTimeBudget").GetString()!;

        foreach (var budget in new[] { bicep.Trim('\''), sample })
        {
            var value = TimeSpan.Parse(budget, CultureInfo.InvariantCulture);
            Assert.True(value + Margin <= timeout, $"BatchTimeBudget {value} leaves less than {Margin} before functionTimeout {timeout}.");
        }
    }

    [Fact]
    public void DefaultBatchTimeBudget_EndsWellBeforeTheFunctionTimeout() =>
        Assert.True(new Compliance.Core.Scanning.ScanOptions().BatchTimeBudget + Margin <= FunctionTimeout());
}
