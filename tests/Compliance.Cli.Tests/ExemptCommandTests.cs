using System.Text.Json;

namespace Compliance.Cli.Tests;

/// <summary><c>compliance exempt add|list|remove</c> against a real Azurite, after a scan of the sample fleet.</summary>
public sealed class ExemptCommandTests(AzuriteFixture store) : IClassFixture<AzuriteFixture>
{
    private const string Subscription = "/subscriptions/11111111-1111-1111-1111-111111111111";

    [Fact]
    public async Task AddListRemove_ReappliesAtOnce_AndReportExitsThreeOnlyForActionRequired()
    {
        await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--store", store.ConnectionString, "--format", "json");
        var before = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "json", "--subscription", "11111111-1111-1111-1111-111111111111");
        using var beforeReport = JsonDocument.Parse(before.Out);
        var needAction = beforeReport.RootElement.GetProperty("summary").GetProperty("actionRequired").GetInt32();
        Assert.Equal(3, before.ExitCode);
        Assert.True(needAction > 0);

        var add = await CliRun.InProcessAsync(
            "exempt", "add", "--store", store.ConnectionString, "--scope", Subscription, "--category", "Mitigated",
            "--action", "GuestUpdate", "--action", "KvaShadowing", "--action", "MitigationSettings",
            "--for", "30d", "--justification", "isolated lab subscription; no untrusted code", "--id", "lab-1", "--by", "ops@contoso");
        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Contains("lab-1", add.Out, StringComparison.Ordinal);

        var exempt = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "json", "--subscription", "11111111-1111-1111-1111-111111111111");
        using var exemptReport = JsonDocument.Parse(exempt.Out);
        var summary = exemptReport.RootElement.GetProperty("summary");
        Assert.Equal(0, exempt.ExitCode);
        Assert.Equal(0, summary.GetProperty("actionRequired").GetInt32());
        Assert.Equal(needAction, summary.GetProperty("exempt").GetInt32());
        Assert.Equal(0, summary.GetProperty("byAction").GetProperty("GuestUpdate").GetInt32());
        Assert.All(
            exemptReport.RootElement.GetProperty("resources").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "Exempt"),
            r => Assert.Equal("lab-1", r.GetProperty("exemption").GetProperty("id").GetString()));

        var list = await CliRun.InProcessAsync("exempt", "list", "--store", store.ConnectionString, "--format", "json");
        using var listed = JsonDocument.Parse(list.Out);
        var entry = Assert.Single(listed.RootElement.EnumerateArray());
        Assert.Equal(0, list.ExitCode);
        Assert.Equal("ops@contoso", entry.GetProperty("createdBy").GetString());
        Assert.Equal("Mitigated", entry.GetProperty("category").GetString());
        Assert.Equal(needAction, entry.GetProperty("exemptResources").GetInt32());

        var csv = await CliRun.InProcessAsync("exempt", "list", "--store", store.ConnectionString, "--format", "csv");
        Assert.StartsWith("id,scope,category,", csv.Out, StringComparison.Ordinal);
        Assert.Contains("lab-1,", csv.Out, StringComparison.Ordinal);
        var table = await CliRun.InProcessAsync("exempt", "list", "--store", store.ConnectionString);
        Assert.Contains("isolated lab subscription", table.Out, StringComparison.Ordinal);

        var remove = await CliRun.InProcessAsync("exempt", "remove", "--store", store.ConnectionString, "lab-1");
        Assert.Equal(0, remove.ExitCode);
        var after = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "json", "--subscription", "11111111-1111-1111-1111-111111111111");
        using var afterReport = JsonDocument.Parse(after.Out);
        Assert.Equal(3, after.ExitCode);
        Assert.Equal(needAction, afterReport.RootElement.GetProperty("summary").GetProperty("actionRequired").GetInt32());

        var again = await CliRun.InProcessAsync("exempt", "remove", "--store", store.ConnectionString, "lab-1");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("no exemption", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--category", "Forever")]
    [InlineData("--scope", "/subscriptions/not-a-guid")]
    [InlineData("--expires", "2001-01-01T00:00:00Z")]
    [InlineData("--for", "soon")]
    [InlineData("--id", "bad/id")]
    public async Task Add_InvalidInput_ExitsTwo_WithAMessage(string option, string value)
    {
        var args = new Dictionary<string, string>
        {
            ["--store"] = store.ConnectionString,
            ["--scope"] = Subscription,
            ["--category"] = "Waiver",
            ["--action"] = "GuestUpdate",
            ["--justification"] = "why",
            [option] = value,
        };

        var result = await CliRun.InProcessAsync(["exempt", "add", .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("compliance: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ExpiresAndFor_ExitsTwo()
    {
        var result = await CliRun.InProcessAsync(
            "exempt", "add", "--store", store.ConnectionString, "--scope", Subscription, "--category", "Waiver", "--action", "GuestUpdate",
            "--justification", "why", "--expires", "2030-01-01T00:00:00Z", "--for", "30d");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not both", result.Error, StringComparison.Ordinal);
    }
}
