namespace Compliance.Infra.Tests;

/// <summary>The function definitions the app's build generated are read whole.</summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void Generated_ReadsEveryFunctionWithOneTrigger()
    {
        var functions = FunctionsMetadata.Load().Functions;

        Assert.Equal(
            ["ApproveRemediation", "CancelRemediation", "CheckMachines", "ComplianceCsv", "Dashboard", "GetCompliance", "GetRemediation", "GetScan", "Health", "ListCompliance", "ListRemediations", "ListScans", "ProposeRemediation", "RecheckResource", "ResourceChanged", "RunRemediation", "ScheduledScan", "StartScan", "Summary"],
            functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(functions, f => Assert.Single(f.Triggers));
        Assert.All(functions, f => Assert.Equal("dotnet-isolated", f.Language));
        Assert.Equal("%Compliance__Events__QueueName%", Assert.Single(functions, f => f.Name == "ResourceChanged").Triggers.Single().QueueName);
        Assert.Equal("%Compliance__Events__RecheckQueueName%", Assert.Single(functions, f => f.Name == "RecheckResource").Triggers.Single().QueueName);
        Assert.Equal("%Compliance__Remediation__QueueName%", Assert.Single(functions, f => f.Name == "RunRemediation").Triggers.Single().QueueName);
        Assert.Equal("%Compliance__Scan__Schedule%", Assert.Single(functions, f => f.Name == "ScheduledScan").Triggers.Single().Properties["schedule"]);
    }
}
