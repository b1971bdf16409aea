using System.Text.Json;
using Compliance.Core.Guest;
using Compliance.Core.Reporting;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Reporting;

public sealed class ComplianceReportTests
{
    private static ComplianceReport Sample()
    {
        var time = TestTime.Start;
        var assessments = new[]
        {
            Judge.Assess(Resources.Vm("b-unpatched"), Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, features: ["Containers"])),
            Judge.Assess(Resources.Vm("a-ok"), Reports.Windows()),
            Judge.Assess(Resources.Vm("c-stopped"), GuestCheckFailure.Of(GuestCheckFailureKind.NotRunning, "power state stopped")),
            Judge.Assess(Resources.CloudService(Resources.Cscfg("5", "*"))),
        };
        return ComplianceReportBuilder.Build("scan-1", time, time.AddMinutes(1), assessments, [new ReportError("2222", "boom")]);
    }

    [Fact]
    public void FromScan_Summary_CountsStatusesAndActions()
    {
        var report = Sample();

        Assert.Equal(new ReportSummary(4, 2, 1, 1, 0, report.Summary.ByAction), report.Summary);
        Assert.Equal(1, report.Summary.ByAction["GuestUpdate"]);
        Assert.Equal(1, report.Summary.ByAction["KvaShadowing"]);
        // Ordered by resource id: .../cloudServices/... sorts before .../virtualMachines/...
        Assert.Equal(["cs-01", "a-ok", "b-unpatched", "c-stopped"], report.Resources.Select(r => r.Name));
    }

    [Fact]
    public void Json_HasTheFixedShape()
    {
        using var document = JsonDocument.Parse(ComplianceReportJson.Serialize(Sample()));
        var root = document.RootElement;

        Assert.Equal("scan-1", root.GetProperty("scanId").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("startedAt").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("completedAt").ValueKind);
        var summary = root.GetProperty("summary");
        foreach (var name in new[] { "total", "compliant", "actionRequired", "unknown", "exempt" })
        {
            Assert.Equal(JsonValueKind.Number, summary.GetProperty(name).ValueKind);
        }

        Assert.Equal(1, summary.GetProperty("byAction").GetProperty("KvaShadowing").GetInt32());
        var resources = root.GetProperty("resources").EnumerateArray().ToList();
        var unpatched = resources.Single(r => r.GetProperty("name").GetString() == "b-unpatched");
        Assert.StartsWith("/subscriptions/", unpatched.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("VirtualMachine", unpatched.GetProperty("kind").GetString());
        Assert.Equal("Windows", unpatched.GetProperty("os").GetString());
        Assert.Equal("ActionRequired", unpatched.GetProperty("status").GetString());
        Assert.Equal(["GuestUpdate", "KvaShadowing"], unpatched.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        var finding = unpatched.GetProperty("findings")[0];
        Assert.Equal("GUEST_UPDATE_MISSING", finding.GetProperty("code").GetString());
        Assert.Equal("High", finding.GetProperty("severity").GetString());
        Assert.Equal(JsonValueKind.String, finding.GetProperty("message").ValueKind);
        Assert.Equal("notSupported", finding.GetProperty("evidence").GetProperty("speculationControl").GetProperty("status").GetString());
        var cloudService = resources.Single(r => r.GetProperty("name").GetString() == "cs-01");
        Assert.Equal("CloudService", cloudService.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, cloudService.GetProperty("os").ValueKind);
    }

    [Fact]
    public void Json_RoundTrips()
    {
        var report = Sample();

        var read = ComplianceReportJson.Deserialize(ComplianceReportJson.Serialize(report));

        Assert.Equal(report.ScanId, read.ScanId);
        Assert.Equal(report.Summary.Total, read.Summary.Total);
        Assert.Equal(report.Resources.Select(r => (r.Id, r.Status)), read.Resources.Select(r => (r.Id, r.Status)));
        Assert.Equal("boom", Assert.Single(read.Errors).Message);
    }

    [Fact]
    public void Csv_OneRowPerResource_WithHeader()
    {
        var lines = ComplianceReportCsv.Serialize(Sample()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(5, lines.Length);
        Assert.Equal("id,kind,name,subscriptionId,resourceGroup,location,os,status,actions,findings,checkedAt,needsGuestUpdate,needsKvaShadowing,needsMitigationSettings,exemption,exemptionExpiresOn", lines[0]);
        var unpatched = lines.Single(l => l.Contains("b-unpatched", StringComparison.Ordinal));
        Assert.Contains(",ActionRequired,\"GuestUpdate;KvaShadowing\",\"GUEST_UPDATE_MISSING;KVA_SHADOWING_REQUIRED;UNTRUSTED_CODE_HOST\",", unpatched, StringComparison.Ordinal);
        Assert.EndsWith(",true,true,false,,", unpatched, StringComparison.Ordinal);
    }

    [Fact]
    public void ExemptResource_CarriesItsExemption_InJsonAndCsv_AndIsNotCountedByAction()
    {
        var sample = Sample();
        var unpatched = sample.Resources.Single(r => r.Name.Contains("b-unpatched", StringComparison.Ordinal));
        var exempt = unpatched with
        {
            Status = "Exempt",
            Exemption = new ReportExemption("waiver-7", "Waiver", "=HYPERLINK(\"x\")", new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero), "api-key:operator", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), "ActionRequired"),
        };
        var resources = sample.Resources.Select(r => r == unpatched ? exempt : r).ToList();
        var report = sample with { Resources = resources, Summary = ComplianceReportBuilder.Summarize(resources) };

        var row = ComplianceReportCsv.Serialize(report).Split("\r\n").Single(l => l.Contains("b-unpatched", StringComparison.Ordinal));
        var json = System.Text.Json.JsonDocument.Parse(ComplianceReportJson.Serialize(report)).RootElement;
        var entry = json.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("status").GetString() == "Exempt");

        Assert.EndsWith(",true,true,false,waiver-7,2027-01-31T00:00:00.0000000+00:00", row, StringComparison.Ordinal);
        Assert.Equal("waiver-7", entry.GetProperty("exemption").GetProperty("id").GetString());
        Assert.Equal("ActionRequired", entry.GetProperty("exemption").GetProperty("underlyingStatus").GetString());
        Assert.Equal(2, entry.GetProperty("actions").GetArrayLength());
        Assert.Equal(1, report.Summary.Exempt);
        Assert.Equal(sample.Summary.ByAction["KvaShadowing"] - 1, report.Summary.ByAction["KvaShadowing"]);
        Assert.False(json.GetProperty("resources").EnumerateArray().First(r => r.GetProperty("status").GetString() != "Exempt").TryGetProperty("exemption", out _));
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"")]
    [InlineData("+1+1", "\"'+1+1\"")]
    [InlineData("-2", "\"'-2\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=a,b", "\"'=a,b\"")]
    [InlineData("plain", "plain")]
    [InlineData(null, "")]
    public void Cell_NeutralisesFormulasAndQuotes(string? value, string expected) =>
        Assert.Equal(expected, ComplianceReportCsv.Cell(value));
}
