using System.Text;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;

namespace Compliance.Core.Tests.Guest;

public sealed class GuestReportParserTests
{
    private const string WindowsReport =
        """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":2007,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"ok","flags":1,"flags2":0},"kvaShadow":{"status":"ok","flags":49},"registry":{"featureSettingsOverride":0,"featureSettingsOverrideMask":3,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":["RDS-RD-Server"],"lastBootUtc":"2018-01-12T08:00:00Z"}""";

    private const string LinuxReport =
        """{"schema":1,"os":"Linux","kernel":"4.15.0-1013-azure","distro":{"id":"ubuntu","versionId":"18.04","prettyName":"Ubuntu 18.04 LTS"},"vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: __user pointer sanitization","spectre_v2":"Mitigation: Full generic retpoline"},"lastBootUtc":"2018-01-12T08:00:00Z"}""";

    [Fact]
    public void Parse_WindowsReport_ReadsEveryField()
    {
        var result = GuestReportParser.Parse(WindowsReport + "\r\n", OsType.Windows);

        Assert.True(result.Success, result.Error);
        var report = Assert.IsType<WindowsGuestReport>(result.Report);
        Assert.Equal(new WindowsProduct("Microsoft Windows Server 2016 Datacenter", "10.0.14393", 2007, 3), report.Product);
        Assert.Equal(new CpuInfo("GenuineIntel", "Intel64 Family 6 Model 85 Stepping 4"), report.Cpu);
        Assert.Equal(new KernelQuery(KernelQueryStatus.Ok, 1, 0, null), report.SpeculationControl);
        Assert.Equal(new KernelQuery(KernelQueryStatus.Ok, 49, 0, null), report.KvaShadow);
        Assert.Equal(new WindowsRegistry(0, 3, null, 0), report.Registry);
        Assert.Equal(["RDS-RD-Server"], report.Features);
        Assert.Equal(new DateTimeOffset(2018, 1, 12, 8, 0, 0, TimeSpan.Zero), report.LastBootUtc);
    }

    [Fact]
    public void Parse_LinuxReport_ReadsEveryField()
    {
        var result = GuestReportParser.Parse(LinuxReport, OsType.Linux);

        var report = Assert.IsType<LinuxGuestReport>(result.Report);
        Assert.Equal("4.15.0-1013-azure", report.Kernel);
        Assert.Equal(new LinuxDistro("ubuntu", "18.04", "Ubuntu 18.04 LTS"), report.Distro);
        Assert.Equal("Mitigation: Full generic retpoline", report.Vulnerabilities!["spectre_v2"]);
        Assert.Equal(3, report.Vulnerabilities.Count);
    }

    [Fact]
    public void Parse_OlderLinuxReport_LeavesTheSettingsUnknown()
    {
        var report = Assert.IsType<LinuxGuestReport>(GuestReportParser.Parse(LinuxReport, OsType.Linux).Report);

        Assert.Null(report.KernelParameters);
        Assert.Null(report.UnprivilegedBpfDisabled);
        Assert.Null(report.SmtControl);
    }

    [Fact]
    public void Parse_LinuxReportWithSettings_ReadsThem()
    {
        var json = LinuxReport.Replace(
            "\"lastBootUtc\"",
            "\"kernelParameters\":[\"mitigations=off\",\"nopti\"],\"unprivilegedBpfDisabled\":2,\"smtControl\":\"notsupported\",\"lastBootUtc\"",
            StringComparison.Ordinal);

        var report = Assert.IsType<LinuxGuestReport>(GuestReportParser.Parse(json, OsType.Linux).Report);

        Assert.Equal(["mitigations=off", "nopti"], report.KernelParameters);
        Assert.Equal(2u, report.UnprivilegedBpfDisabled);
        Assert.Equal("notsupported", report.SmtControl);
    }

    [Fact]
    public void Parse_LinuxReportWithAnEmptyCommandLine_IsNotUnknown() =>
        Assert.Equal(
            [],
            Assert.IsType<LinuxGuestReport>(GuestReportParser.Parse(LinuxReport.Replace("\"lastBootUtc\"", "\"kernelParameters\":[],\"lastBootUtc\"", StringComparison.Ordinal)).Report).KernelParameters);

    [Theory]
    [InlineData("\"kernelParameters\":\"nopti\"")]
    [InlineData("\"kernelParameters\":[1]")]
    [InlineData("\"unprivilegedBpfDisabled\":\"2\"")]
    [InlineData("\"unprivilegedBpfDisabled\":1.5")]
    [InlineData("\"smtControl\":0")]
    public void Parse_LinuxSettingOfTheWrongType_Unreadable(string field) =>
        Assert.False(GuestReportParser.Parse(LinuxReport.Replace("\"lastBootUtc\"", field + ",\"lastBootUtc\"", StringComparison.Ordinal)).Success);

    [Fact]
    public void Parse_WindowsCpuArchitecture_ReadWhenReported()
    {
        var json = WindowsReport.Replace("\"Intel64 Family 6 Model 85 Stepping 4\"", "\"Intel64 Family 6 Model 85 Stepping 4\",\"architecture\":12", StringComparison.Ordinal);

        var report = Assert.IsType<WindowsGuestReport>(GuestReportParser.Parse(json, OsType.Windows).Report);

        Assert.Equal(12u, report.Cpu?.Architecture);
        Assert.True(report.Cpu?.IsArm);
    }

    [Fact]
    public void Parse_NullVulnerabilities_MeansNoSysfsDirectory()
    {
        var result = GuestReportParser.Parse("""{"schema":1,"os":"Linux","kernel":"3.10.0","vulnerabilities":null}""");

        Assert.Null(Assert.IsType<LinuxGuestReport>(result.Report).Vulnerabilities);
    }

    [Theory]
    [InlineData("Welcome to Ubuntu 18.04.6 LTS\n")]
    [InlineData("mesg: ttyname failed: Inappropriate ioctl for device\nWARNING: {not json}\n")]
    [InlineData("{\"partial\":")]
    [InlineData("{\"other\":1}\n")]
    [InlineData("}}}{{{ \n")]
    public void Parse_NoiseBeforeTheReport_IsTolerated(string noise)
    {
        var result = GuestReportParser.Parse(noise + LinuxReport + "\n", OsType.Linux);

        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public void Parse_LastOfTwoReports_Wins()
    {
        var result = GuestReportParser.Parse(LinuxReport.Replace("4.15.0-1013-azure", "old", StringComparison.Ordinal) + "\n" + LinuxReport);

        Assert.Equal("4.15.0-1013-azure", Assert.IsType<LinuxGuestReport>(result.Report).Kernel);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \r\n\t")]
    [InlineData("hello world")]
    [InlineData("<html><body>error</body></html>")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("\"schema\"")]
    [InlineData("{\"schema\":1,\"os\":\"Linux\",\"kernel\":\"4.15\",\"vulnerabilities\":{\"meltdown\":\"Mitigation: PTI\"")]
    public void Parse_GarbageOrTruncated_Unreadable(string? output)
    {
        var result = GuestReportParser.Parse(output);

        Assert.False(result.Success);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void Parse_TextAfterTheReport_Unreadable() =>
        Assert.False(GuestReportParser.Parse(LinuxReport + "\ndone.\n").Success);

    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("\"1\"")]
    [InlineData("1.5")]
    [InlineData("null")]
    public void Parse_UnknownSchema_Unreadable(string schema)
    {
        var result = GuestReportParser.Parse(LinuxReport.Replace("\"schema\":1", $"\"schema\":{schema}", StringComparison.Ordinal));

        Assert.False(result.Success);
        Assert.Contains("schema", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingSchema_Unreadable() =>
        Assert.False(GuestReportParser.Parse(LinuxReport.Replace("\"schema\":1,", string.Empty, StringComparison.Ordinal)).Success);

    [Theory]
    [InlineData("\"os\":\"Windows\"", "\"os\":\"windows\"")]
    [InlineData("\"os\":\"Windows\"", "\"os\":\"MacOS\"")]
    [InlineData("\"flags\":1,", "\"flags\":\"1\",")]
    [InlineData("\"flags\":1,", "\"flags\":1.5,")]
    [InlineData("\"flags\":1,", "\"flags\":4294967296,")]
    [InlineData("\"flags\":1,", "")]
    [InlineData("\"status\":\"ok\",\"flags\":49", "\"status\":\"enabled\",\"flags\":49")]
    [InlineData("\"features\":[\"RDS-RD-Server\"]", "\"features\":\"RDS-RD-Server\"")]
    [InlineData("\"features\":[\"RDS-RD-Server\"]", "\"features\":[1]")]
    [InlineData("\"qualityCompat\":0", "\"qualityCompat\":\"0\"")]
    [InlineData("\"product\":{", "\"product\":[],\"x\":{")]
    public void Parse_WrongShape_Unreadable(string from, string to)
    {
        var result = GuestReportParser.Parse(WindowsReport.Replace(from, to, StringComparison.Ordinal));

        Assert.False(result.Success, "expected unreadable");
    }

    [Fact]
    public void Parse_KvaShadowMissing_Unreadable() =>
        Assert.False(GuestReportParser.Parse(WindowsReport.Replace(",\"kvaShadow\":{\"status\":\"ok\",\"flags\":49}", string.Empty, StringComparison.Ordinal)).Success);

    [Fact]
    public void Parse_VulnerabilitiesKeyMissing_Unreadable() =>
        Assert.False(GuestReportParser.Parse("""{"schema":1,"os":"Linux","kernel":"4.15"}""").Success);

    [Fact]
    public void Parse_VulnerabilityValueNotAString_Unreadable() =>
        Assert.False(GuestReportParser.Parse("""{"schema":1,"os":"Linux","vulnerabilities":{"meltdown":1}}""").Success);

    [Fact]
    public void Parse_OsDiffersFromArm_Unreadable()
    {
        var result = GuestReportParser.Parse(LinuxReport, OsType.Windows);

        Assert.False(result.Success);
        Assert.Contains("ARM says", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotSupportedWithoutFlags_Reads()
    {
        var result = GuestReportParser.Parse("""{"schema":1,"os":"Windows","speculationControl":{"status":"notSupported"},"kvaShadow":{"status":"error","error":"0xC0000022"}}""");

        var report = Assert.IsType<WindowsGuestReport>(result.Report);
        Assert.Equal(KernelQueryStatus.NotSupported, report.SpeculationControl.Status);
        Assert.Equal(new KernelQuery(KernelQueryStatus.Error, 0, 0, "0xC0000022"), report.KvaShadow);
        Assert.Equal(WindowsRegistry.Empty, report.Registry);
        Assert.Empty(report.Features);
        Assert.Null(report.Cpu);
    }

    [Fact]
    public void Parse_SignedDword_ReadAsTheSameBits()
    {
        var result = GuestReportParser.Parse(WindowsReport.Replace("\"flags\":49", "\"flags\":-2147483599", StringComparison.Ordinal));

        Assert.Equal(0x80000031u, Assert.IsType<WindowsGuestReport>(result.Report).KvaShadow.Flags);
    }

    [Fact]
    public void Parse_MissingFlags2_ReadsAsZero()
    {
        var result = GuestReportParser.Parse(WindowsReport.Replace(",\"flags2\":0", string.Empty, StringComparison.Ordinal));

        Assert.Equal(0u, Assert.IsType<WindowsGuestReport>(result.Report).SpeculationControl.Flags2);
    }

    [Fact]
    public void Parse_UnknownProperties_Ignored()
    {
        var result = GuestReportParser.Parse(LinuxReport.Replace("\"schema\":1,", "\"schema\":1,\"future\":{\"a\":[1,2]},", StringComparison.Ordinal));

        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public void Parse_NoiseLongerThanTheLimit_OnlyTheLast4096BytesCount()
    {
        var noise = new string('x', 10_000) + "\n";

        var result = GuestReportParser.Parse(noise + LinuxReport);

        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public void Parse_ReportLargerThanTheLimit_Unreadable()
    {
        var oversized = LinuxReport.Replace("\"kernel\":\"4.15.0-1013-azure\"", $"\"kernel\":\"{new string('k', 5000)}\"", StringComparison.Ordinal);

        var result = GuestReportParser.Parse(oversized);

        Assert.False(result.Success);
    }

    [Fact]
    public void Parse_MultiByteCharacterAtTheCut_DoesNotBreak()
    {
        var noise = string.Concat(Enumerable.Repeat("é", 3000)) + "\n";
        Assert.True(Encoding.UTF8.GetByteCount(noise + LinuxReport) > GuestReportParser.MaxOutputBytes);

        Assert.True(GuestReportParser.Parse(noise + LinuxReport).Success);
    }

    [Fact]
    public void Parse_DeepNesting_UnreadableWithoutThrowing()
    {
        var nested = new string('[', 2000) + new string(']', 2000);
        var output = LinuxReport.Replace("\"schema\":1,", $"\"schema\":1,\"x\":{nested},", StringComparison.Ordinal);

        Assert.False(GuestReportParser.Parse(output).Success);
        Assert.False(GuestReportParser.Parse(new string('{', 4000)).Success);
    }

    [Fact]
    public void Parse_ControlCharactersAndMarkup_KeptAsData()
    {
        var result = GuestReportParser.Parse("""{"schema":1,"os":"Linux","kernel":"<script>alert(1)</script>\u0000\u001b[31m","vulnerabilities":{}}""");

        Assert.Equal("<script>alert(1)</script>\0\u001b[31m", Assert.IsType<LinuxGuestReport>(result.Report).Kernel);
    }

    [Fact]
    public void Parse_ErrorMessages_CarryNoControlCharacters()
    {
        var result = GuestReportParser.Parse("{\"schema\":\"\u001b[2J\u0007\",\"os\":\"Linux\",\"vulnerabilities\":null}");

        Assert.False(result.Success);
        Assert.DoesNotContain(result.Error, char.IsControl);
    }

    [Fact]
    public void Parse_RandomInput_NeverThrows()
    {
        string[] tokens = ["{", "}", "[", "]", "\"schema\"", ":", "1", ",", "\"os\"", "\"Linux\"", "\"Windows\"", "null", "\"vulnerabilities\"", "\\", "\"", "\n", "é", "\u0000", "-", "e9", "true"];
        var random = new Random(20180103);
        for (var i = 0; i < 3000; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(0, 60);
            for (var j = 0; j < length; j++)
            {
                builder.Append(tokens[random.Next(tokens.Length)]);
            }

            var result = GuestReportParser.Parse(builder.ToString());
            Assert.True(result.Success || result.Error is not null);
        }
    }
}
