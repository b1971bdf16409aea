using System.Text.Json;
using Compliance.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Compliance.Functions.Tests;

/// <summary>
/// What the worker SDK generated from the function classes (<c>functions.metadata</c>) is what the host needs and what
/// the rest of the app says: a timer whose schedule and queue are settings, the two queue triggers, the HTTP triggers on
/// exactly the routes <c>compliance serve</c> maps, and a <c>host.json</c> without custom-handler parts.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly FunctionsMetadata _metadata = FunctionsMetadata.Load();

    [Fact]
    public void Metadata_TimerQueueTriggersAndHttpTriggers()
    {
        var timer = _metadata["ScheduledScan"];
        Assert.Equal("timerTrigger", timer.Trigger.Type);
        Assert.Equal("Compliance__Scan__Schedule", FunctionBinding.SettingOf(timer.Trigger.Schedule));
        var output = Assert.Single(timer.Bindings, b => b.Direction == "Out");
        Assert.Equal(("queue", "Compliance__Queue__QueueName", "AzureWebJobsStorage"), (output.Type, FunctionBinding.SettingOf(output.QueueName), output.Connection));

        var queueTriggers = _metadata.Functions.Where(f => f.Trigger.Type == "queueTrigger").ToDictionary(f => f.Name, f => FunctionBinding.SettingOf(f.Trigger.QueueName));
        Assert.Equal(new Dictionary<string, string?> { ["CheckMachines"] = "Compliance__Queue__QueueName", ["ResourceChanged"] = "Compliance__Events__QueueName", ["RecheckResource"] = "Compliance__Events__RecheckQueueName", ["RunRemediation"] = "Compliance__Remediation__QueueName" }, queueTriggers);
        Assert.All(_metadata.Functions.Where(f => f.Trigger.Type == "queueTrigger"), f => Assert.Equal("AzureWebJobsStorage", f.Trigger.Connection));

        var http = _metadata.Functions.Where(f => f.Trigger.Type == "httpTrigger").ToList();
        Assert.Equal(18, http.Count);
        Assert.Equal(24, _metadata.Functions.Count);
        // Only the health check is open; starting a scan is a function of its own, with keys of its own.
        Assert.Equal(["Health"], http.Where(f => f.Trigger.AuthLevel != "Function").Select(f => f.Name));
        Assert.Equal(["post"], _metadata["StartScan"].Trigger.Methods);

        var sweep = _metadata["SweepExemptions"];
        Assert.Equal("timerTrigger", sweep.Trigger.Type);
        Assert.Equal("Compliance__Exemptions__SweepSchedule", FunctionBinding.SettingOf(sweep.Trigger.Schedule));
        Assert.Equal(["put"], _metadata["PutExemption"].Trigger.Methods);
        Assert.Equal(["delete"], _metadata["DeleteExemption"].Trigger.Methods);
    }

    [Fact]
    public async Task HttpTriggers_SameRoutesAsServe()
    {
        var functions = _metadata.Functions
            .Where(f => f.Trigger.Type == "httpTrigger")
            .SelectMany(f => f.Trigger.Methods.Select(m => $"{m.ToUpperInvariant()} /api/{f.Trigger.Route!.Replace("{*", "{**", StringComparison.Ordinal)}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        await using var serve = ComplianceServer.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }));
        var routes = ((IEndpointRouteBuilder)serve).DataSources.SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal) && e.RoutePattern.RawText != "/api/openapi.json")
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(routes, functions);
    }

    [Fact]
    public void HostJson_NoCustomHandlerNoBundle_QueuesReadAsStored()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("src", "Compliance.Functions", "host.json")));

        Assert.False(host.RootElement.TryGetProperty("customHandler", out _));
        Assert.False(host.RootElement.TryGetProperty("extensionBundle", out _));
        Assert.Equal("api", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        // Both queues' writers differ (Event Grid has written Base64 and plain text); the functions decode either.
        Assert.Equal("none", host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void Bindings_EverySettingNamed_InTheLocalSample()
    {
        var sample = LocalSettingsSampleTests.Values();
        var named = _metadata.Functions.SelectMany(f => f.Bindings)
            .SelectMany(b => new[] { b.QueueName, b.Schedule })
            .Select(FunctionBinding.SettingOf)
            .OfType<string>()
            .Distinct()
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, setting => Assert.True(sample.ContainsKey(setting), $"{setting} is named by a binding but not in local.settings.sample.json."));
        Assert.Contains("AzureWebJobsStorage", sample.Keys);
    }
}
