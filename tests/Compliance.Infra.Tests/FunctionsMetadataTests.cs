namespace Compliance.Infra.Tests;

/// <summary>The function definitions the app's build generated are read whole.</summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void Generated_ReadsEveryFunctionWithOneTrigger()
    {
        var functions = FunctionsMetadata.Load().Functions;

        Assert.Equal(
            ["ApproveRemediation", "CancelRemediation", "CheckMachines", "ComplianceCsv", "Dashboard", "DeleteExemption", "GetCompliance", "GetExemption", "GetRemediation", "GetScan", "Health", "ListCompliance", "ListExemptions", "ListRemediations", "ListScans", "ProposeRemediation", "PutExemption", "RecheckResource", "ResourceChanged", "RunRemediation", "ScheduledScan", "StartScan", "Summary", "SweepExemptions"],
            functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(functions, f => Assert.Single(f.Triggers));
        Assert.All(functions, f => Assert.Equal("dotnet-isolated", f.Language));
        Assert.Equal("%Compliance__Events__QueueName%", Assert.Single(functions, f => f.Name == "ResourceChanged").Triggers.Single().QueueName);
        Assert.Equal("%Compliance__Events__RecheckQueueName%", Assert.Single(functions, f => f.Name == "RecheckResource").Triggers.Single().QueueName);
        Assert.Equal("%Compliance__Remediation__QueueName%", Assert.Single(functions, f => f.Name == "RunRemediation").Triggers.Single().QueueName);
        Assert.Equal("%Compliance__Scan__Schedule%", Assert.Single(functions, f => f.Name == "ScheduledScan").Triggers.Single().Properties["schedule"]);
        Assert.Equal("%Compliance__Exemptions__SweepSchedule%", Assert.Single(functions, f => f.Name == "SweepExemptions").Triggers.Single().Properties["schedule"]);
    }
}
