using Compliance.Core.Remediation;

namespace Compliance.Core.Tests.Remediation;

/// <summary>A remediation script's stdout is hostile input: read strictly, bounded, and never passed on as it came.</summary>
public sealed class RemediationScriptOutputTests
{
    [Fact]
    public void Parse_WindowsOutputWithCrLf_TheValuesSet()
    {
        var output = RemediationScriptOutput.Parse(
            "SET FeatureSettingsOverride=72 PREVIOUS=absent\r\nSET FeatureSettingsOverrideMask=3 PREVIOUS=3\r\nRESULT ok\r\n");

        Assert.True(output.Succeeded);
        Assert.Null(output.Error);
        Assert.Equal(
            [new RemediationSetting("FeatureSettingsOverride", "72", null), new RemediationSetting("FeatureSettingsOverrideMask", "3", "3")],
            output.Settings);
    }

    [Fact]
    public void Parse_LinuxOutput_TheSysctl()
    {
        var output = RemediationScriptOutput.Parse("SET kernel.unprivileged_bpf_disabled=1 PREVIOUS=0\nRESULT ok\n");

        Assert.True(output.Succeeded);
        Assert.Equal([new RemediationSetting("kernel.unprivileged_bpf_disabled", "1", "0")], output.Settings);
    }

    [Fact]
    public void Parse_ScriptFailedAfterOneValue_TheValueAndItsReason()
    {
        var output = RemediationScriptOutput.Parse("SET kernel.unprivileged_bpf_disabled=1 PREVIOUS=2\nRESULT error cannot create /etc/sysctl.d\n");

        Assert.False(output.Succeeded);
        Assert.Equal("the script failed: cannot create /etc/sysctl.d", output.Error);
        Assert.Single(output.Settings);
    }

    [Theory]
    [InlineData(null, "the script printed nothing")]
    [InlineData("  \n\r\n", "the script printed nothing")]
    [InlineData("SET FeatureSettingsOverride=0 PREVIOUS=absent\n", "the output has no RESULT line: the script did not finish")]
    [InlineData("RESULT ok\nSET FeatureSettingsOverride=0 PREVIOUS=absent\n", "line 1: a result line before the end of the output")]
    [InlineData("RESULT maybe\n", "line 1: a result that is neither 'ok' nor 'error <reason>'")]
    [InlineData("RESULT error \n", "line 1: a result that is neither 'ok' nor 'error <reason>'")]
    [InlineData("SET Path=C:\\evil PREVIOUS=absent\nRESULT ok", "line 1 is not a SET or RESULT line: SET Path=C:\\evil PREVIOUS=absent")]
    [InlineData("SET EnableEverything=1 PREVIOUS=0\nRESULT ok", "line 1 sets an unknown value 'EnableEverything'")]
    [InlineData("SET FeatureSettingsOverride=0 PREVIOUS=absent\nSET FeatureSettingsOverride=3 PREVIOUS=0\nRESULT ok", "line 2 sets 'FeatureSettingsOverride' a second time")]
    [InlineData("WARNING: something\nRESULT ok", "line 1 is not a SET or RESULT line: WARNING: something")]
    [InlineData("SET FeatureSettingsOverride=0 PREVIOUS=absent extra\nRESULT ok", "line 1 is not a SET or RESULT line: SET FeatureSettingsOverride=0 PREVIOUS=absent extra")]
    [InlineData(" SET FeatureSettingsOverride=0 PREVIOUS=absent\nRESULT ok", "line 1 is not a SET or RESULT line:  SET FeatureSettingsOverride=0 PREVIOUS=absent")]
    public void Parse_AnythingElse_AnErrorNeverAnException(string? stdout, string error)
    {
        var output = RemediationScriptOutput.Parse(stdout);

        Assert.False(output.Succeeded);
        Assert.Equal(error, output.Error);
    }

    [Fact]
    public void Parse_ControlAndNonAsciiCharacters_NeverPassedOn()
    {
        var injected = RemediationScriptOutput.Parse("RESULT error \u001b]0;pwned\u0007 \u202egnp.exe \u0000done");
        var unknown = RemediationScriptOutput.Parse("SET FeatureSettingsOverride=0\u001b[2J PREVIOUS=absent\nRESULT ok");
        var value = RemediationScriptOutput.Parse("SET MinVmVersionForCpuBasedMitigations=1.0 PREVIOUS=1.0\u00a0\nRESULT ok");

        Assert.Equal("the script failed: ?]0;pwned? ?gnp.exe ?done", injected.Error);
        Assert.Equal("line 1 is not a SET or RESULT line: SET FeatureSettingsOverride=0?[2J PREVIOUS=absent", unknown.Error);
        Assert.False(value.Succeeded);
        Assert.Empty(value.Settings);
        Assert.All(new[] { injected.Error!, unknown.Error!, value.Error! }, e => Assert.All(e, c => Assert.InRange(c, ' ', '\u2026')));
    }

    [Fact]
    public void Parse_OversizedOutput_Refused()
    {
        var output = RemediationScriptOutput.Parse(new string('x', RemediationScriptOutput.MaxOutputBytes + 1) + "\nRESULT ok");

        Assert.Equal("the output is longer than 4096 bytes", output.Error);
    }

    [Fact]
    public void Parse_TooManyLines_Refused()
    {
        var output = RemediationScriptOutput.Parse(string.Concat(Enumerable.Repeat("\n", 20)) + "x\nRESULT ok");

        Assert.Equal("the output has more than 16 lines", output.Error);
    }

    [Fact]
    public void Parse_LongReason_Shortened()
    {
        var output = RemediationScriptOutput.Parse("RESULT error " + new string('r', 1000));

        Assert.Equal("the script failed: " + new string('r', 200) + "…", output.Error);
    }

    [Fact]
    public void Parse_OverlongToken_Refused()
    {
        var output = RemediationScriptOutput.Parse($"SET FeatureSettingsOverride={new string('9', 33)} PREVIOUS=absent\nRESULT ok");

        Assert.False(output.Succeeded);
        Assert.Empty(output.Settings);
    }
}
