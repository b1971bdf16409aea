using System.Text.Json;

namespace Compliance.Cli.Tests;

/// <summary><c>remediate</c>: off unless the environment turns it on (exit 2 saying how), and on, plans and approvals in the store.</summary>
public sealed class RemediateCommandTests(AzuriteFixture store) : IClassFixture<AzuriteFixture>
{
    private static readonly Dictionary<string, string?> _on = new() { ["Compliance__Remediation__Enabled"] = "true" };

    [Theory]
    [InlineData("plan", "--action", "GuestUpdate")]
    [InlineData("approve", "rem-20260101000000-0000abcd")]
    [InlineData("cancel", "rem-20260101000000-0000abcd")]
    [InlineData("list")]
    [InlineData("show", "rem-20260101000000-0000abcd")]
    public async Task Off_EverySubcommandExits2SayingHowToTurnItOn(params string[] args)
    {
        var result = await CliRun.ProcessAsync(AppContext.BaseDirectory, new Dictionary<string, string?> { ["Compliance__Remediation__Enabled"] = null }, ["remediate", .. args, "--store", store.ConnectionString]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Remediation is off", result.Error, StringComparison.Ordinal);
        Assert.Contains("Compliance__Remediation__Enabled=true", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task On_PlanThenApprove_AreStoredWithTheirAuthors_AndBadInputExits2()
    {
        var scan = await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--store", store.ConnectionString, "--format", "json");
        Assert.Equal(3, scan.ExitCode);

        var planned = await CliRun.ProcessAsync(AppContext.BaseDirectory, _on, "remediate", "plan", "--store", store.ConnectionString, "--action", "GuestUpdate", "--max-duration", "90m", "--reboot", "Never", "--by", "alice", "--format", "json");
        Assert.True(planned.ExitCode == 0, planned.Error);
        using var plan = JsonDocument.Parse(planned.Out);
        var id = plan.RootElement.GetProperty("plan").GetProperty("id").GetString()!;
        Assert.Equal("alice", plan.RootElement.GetProperty("plan").GetProperty("createdBy").GetString());
        Assert.Equal("01:30:00", plan.RootElement.GetProperty("plan").GetProperty("maximumDuration").GetString());

        var approved = await CliRun.ProcessAsync(AppContext.BaseDirectory, _on, "remediate", "approve", "--store", store.ConnectionString, id, "--by", "bob", "--format", "json");
        var again = await CliRun.ProcessAsync(AppContext.BaseDirectory, _on, "remediate", "approve", "--store", store.ConnectionString, id, "--by", "bob");
        var shown = await CliRun.ProcessAsync(AppContext.BaseDirectory, _on, "remediate", "show", "--store", store.ConnectionString, id);
        var badDuration = await CliRun.ProcessAsync(AppContext.BaseDirectory, _on, "remediate", "plan", "--store", store.ConnectionString, "--action", "GuestUpdate", "--max-duration", "5h");

        Assert.True(approved.ExitCode == 0, approved.Error);
        using var approvedPlan = JsonDocument.Parse(approved.Out);
        Assert.Equal("Approved", approvedPlan.RootElement.GetProperty("state").GetString());
        Assert.Equal("bob", approvedPlan.RootElement.GetProperty("approvedBy").GetString());
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("only a Proposed plan", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("installPatches (Security+Critical, maximumDuration 01:30:00, rebootSetting Never)", shown.Out, StringComparison.Ordinal);
        Assert.Contains("Approved  bob", shown.Out, StringComparison.Ordinal);
        Assert.Equal(2, badDuration.ExitCode);
        Assert.Contains("4 hours", badDuration.Error, StringComparison.Ordinal);
    }
}
