using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;

namespace Compliance.Core.Tests.Guest;

public sealed partial class GuestScriptsTests
{
    private const string SysfsDirectory = "/sys/devices/system/cpu/vulnerabilities";

    public static TheoryData<string> Shells()
    {
        var shells = new TheoryData<string>();
        foreach (var shell in new[] { "/bin/sh", "/bin/dash", "/bin/bash", "/usr/bin/busybox" })
        {
            if (File.Exists(shell))
            {
                shells.Add(shell);
            }
        }

        return shells;
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task LinuxScript_RunOnThisMachine_ReportsThisMachinesSysfs(string shell)
    {
        var stdout = await RunAsync(shell, shell.EndsWith("busybox", StringComparison.Ordinal) ? ["sh", "-s"] : ["-s"], GuestScripts.Linux.Text);

        var result = GuestReportParser.Parse(stdout, OsType.Linux);

        Assert.True(result.Success, result.Error + "\n" + stdout);
        var report = Assert.IsType<LinuxGuestReport>(result.Report);
        if (!Directory.Exists(SysfsDirectory))
        {
            Assert.Null(report.Vulnerabilities);
            return;
        }

        var expected = Directory.GetFiles(SysfsDirectory)
            .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f).Trim(), StringComparer.Ordinal);
        Assert.NotNull(report.Vulnerabilities);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), report.Vulnerabilities.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), report.Kernel);
        Assert.Equal(ExpectedKernelParameters(), report.KernelParameters);
        Assert.Equal(ReadNumber("/proc/sys/kernel/unprivileged_bpf_disabled"), report.UnprivilegedBpfDisabled);
        Assert.Equal(File.Exists(SmtControl) ? File.ReadAllText(SmtControl).Trim() : null, report.SmtControl);
        Assert.True(stdout.Length < 3500, $"the report is {stdout.Length} bytes");
        Assert.EndsWith("}\n", stdout, StringComparison.Ordinal);
        Assert.Equal(1, stdout.Count(c => c == '\n'));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("quote \" backslash \\ slash /")]
    [InlineData("tab\there\u0001\u001f end")]
    [InlineData("multi\nline")]
    [InlineData("ünïcødé ✓")]
    [InlineData("$(touch /tmp/pwned) `id` ${HOME}")]
    [InlineData("")]
    public async Task LinuxScript_JsonString_EscapesHostileText(string value)
    {
        var function = ExtractJsonStringFunction(GuestScripts.Linux.Text);
        var input = Path.GetTempFileName();
        await File.WriteAllTextAsync(input, value);
        try
        {
            var json = await RunAsync("/bin/sh", ["-c", "LC_ALL=C; export LC_ALL\n" + function + "\njson_string \"$(cat \"$1\")\"", "sh", input], stdin: null);

            Assert.Equal(value.TrimEnd('\n'), JsonSerializer.Deserialize<string>(json));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Fact]
    public void Scripts_AreEmbeddedWithTheirRunCommandIds()
    {
        Assert.Equal("RunPowerShellScript", GuestScripts.For(OsType.Windows).CommandId);
        Assert.Equal("RunShellScript", GuestScripts.For(OsType.Linux).CommandId);
        Assert.Equal(OsType.Linux, GuestScripts.Linux.Os);
        Assert.Equal(64, GuestScripts.Windows.Sha256.Length);
    }

    [Theory]
    [InlineData(OsType.Windows)]
    [InlineData(OsType.Linux)]
    public void Scripts_AreConstantPlainAscii(OsType os)
    {
        var script = GuestScripts.For(os);

        Assert.All(script.Text, c => Assert.True(c is '\n' or '\r' or '\t' || (c >= ' ' && c < 127), $"character U+{(int)c:X4}"));
        // No templating of any kind: nothing is ever substituted into a guest script.
        Assert.DoesNotMatch(PlaceholderPattern(), script.Text);
        Assert.Equal(script.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'), string.Join('\n', script.Lines));
        Assert.DoesNotContain("param(", script.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(OsType.Windows, "windows-guest-check.ps1")]
    [InlineData(OsType.Linux, "linux-guest-check.sh")]
    public void Scripts_ReadTwice_OneUnchangedCopyOfTheEmbeddedFile(OsType os, string fileName)
    {
        var first = GuestScripts.For(os);
        var second = os == OsType.Windows ? GuestScripts.Windows : GuestScripts.Linux;

        // One instance, loaded once: every request sends the same text.
        Assert.Same(first, second);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Lines, second.Lines);
        // The text is the embedded file as it is, with nothing formatted into it on the way.
        using var stream = typeof(GuestScripts).Assembly.GetManifestResourceStream($"Compliance.Core.Guest.Scripts.{fileName}")!;
        using var reader = new StreamReader(stream);
        Assert.Equal(reader.ReadToEnd(), first.Text);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(first.Text))), first.Sha256);
    }

    [Fact]
    public void Scripts_NothingCanChangeOrFormatThem()
    {
        // No setter, init accessor or public constructor on a script, so neither code nor a `with` can make another one.
        const BindingFlags Everything = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        Assert.All(typeof(GuestScript).GetProperties(Everything), p => Assert.Null(p.SetMethod));
        Assert.Empty(typeof(GuestScript).GetConstructors(BindingFlags.Instance | BindingFlags.Public));
        // The scripts are held in read-only fields, and the only way to ask for one takes the OS, no text.
        Assert.All(typeof(GuestScripts).GetFields(Everything), f => Assert.True(f.IsInitOnly, f.Name));
        var method = Assert.Single(typeof(GuestScripts).GetMethods(BindingFlags.Static | BindingFlags.Public), m => !m.IsSpecialName);
        Assert.Equal(nameof(GuestScripts.For), method.Name);
        Assert.Equal([typeof(OsType)], method.GetParameters().Select(p => p.ParameterType));
    }

    [Theory]
    [InlineData("ConvertTo-Json")]
    [InlineData("[ordered]")]
    [InlineData("Get-CimInstance")]
    [InlineData("::new(")]
    [InlineData(" -in ")]
    [InlineData(" -notin ")]
    [InlineData("$PSItem")]
    [InlineData("?.")]
    [InlineData("??")]
    [InlineData("-Parallel")]
    [InlineData("using namespace")]
    public void WindowsScript_UsesNothingNewerThanPowerShell2(string construct) =>
        Assert.DoesNotContain(construct, GuestScripts.Windows.Text, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void WindowsScript_DefinesNoPowerShell5Classes() =>
        Assert.DoesNotMatch(ClassDefinitionPattern(), GuestScripts.Windows.Text);

    [Theory]
    [InlineData("NtQuerySystemInformation")]
    [InlineData("Add-Type")]
    [InlineData("Get-KernelQueryJson 201 8")]
    [InlineData("Get-KernelQueryJson 196 4")]
    [InlineData(@"HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management")]
    [InlineData("'FeatureSettingsOverride'")]
    [InlineData("'FeatureSettingsOverrideMask'")]
    [InlineData(@"HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization")]
    [InlineData("'MinVmVersionForCpuBasedMitigations'")]
    [InlineData(@"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\QualityCompat")]
    [InlineData("'cadca5fe-87d3-4b96-b7fb-a231484277cc'")]
    [InlineData("'Hyper-V'")]
    [InlineData("'RDS-RD-Server'")]
    [InlineData("'Containers'")]
    [InlineData("Win32_OperatingSystem")]
    [InlineData("Win32_Processor")]
    [InlineData("$cpu.Architecture")]
    [InlineData("-1073741821")]
    [InlineData("-1073741822")]
    public void WindowsScript_QueriesWhatTheReportNeeds(string text) =>
        Assert.Contains(text, GuestScripts.Windows.Text, StringComparison.Ordinal);

    [Theory]
    [InlineData("{\"schema\":1,\"os\":\"Windows\",\"product\":")]
    [InlineData("{\"caption\":")]
    [InlineData(",\"version\":")]
    [InlineData(",\"ubr\":")]
    [InlineData(",\"productType\":")]
    [InlineData("{\"manufacturer\":")]
    [InlineData(",\"description\":")]
    [InlineData(",\"architecture\":")]
    [InlineData(",\"speculationControl\":")]
    [InlineData(",\"kvaShadow\":")]
    [InlineData("{\"status\":\"ok\",\"flags\":")]
    [InlineData(",\"flags2\":")]
    [InlineData("{\"status\":\"notSupported\"}")]
    [InlineData("{\"status\":\"error\",\"error\":")]
    [InlineData(",\"registry\":")]
    [InlineData("{\"featureSettingsOverride\":")]
    [InlineData(",\"featureSettingsOverrideMask\":")]
    [InlineData(",\"minVmVersionForCpuBasedMitigations\":")]
    [InlineData(",\"qualityCompat\":")]
    [InlineData(",\"features\":")]
    [InlineData(",\"lastBootUtc\":")]
    public void WindowsScript_PrintsEveryReportField(string fragment) =>
        Assert.Contains(fragment, GuestScripts.Windows.Text, StringComparison.Ordinal);

    [Fact]
    public void WindowsScript_PrintsOnlyTheReport()
    {
        var outputs = GuestScripts.Windows.Lines.Count(l => l.TrimStart().StartsWith("Write-Output", StringComparison.Ordinal) || l.Contains("Write-Host", StringComparison.Ordinal));

        Assert.Equal(1, outputs);
        Assert.StartsWith("Write-Output $report", GuestScripts.Windows.Lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task LinuxScript_KernelParameters_OnlyTheMitigationOnesFromAFixedList(string shell)
    {
        // The function as the script has it, run on a command line of our own.
        var function = ExtractFunction(GuestScripts.Linux.Text, "kernel_parameters() {", "# number_file");
        var cmdline = Path.GetTempFileName();
        await File.WriteAllTextAsync(cmdline, "BOOT_IMAGE=/vmlinuz root=UUID=1 ro nopti mitigations=auto,nosmt spectre_v2=retpoline,lfence quiet \"evil=$(id)\" mds=off -- nospectre_v1\n");
        try
        {
            var script = "LC_ALL=C; export LC_ALL\n" + ExtractJsonStringFunction(GuestScripts.Linux.Text) + "\n" +
                function + "\nkernel_parameters 16 \"$1\"";
            var json = await RunAsync(shell, shell.EndsWith("busybox", StringComparison.Ordinal) ? ["sh", "-c", script, "sh", cmdline] : ["-c", script, "sh", cmdline], stdin: null);

            Assert.Equal(["nopti", "mitigations=auto,nosmt", "spectre_v2=retpoline,lfence", "mds=off"], JsonSerializer.Deserialize<string[]>(json)!);
        }
        finally
        {
            File.Delete(cmdline);
        }
    }

    private const string SmtControl = "/sys/devices/system/cpu/smt/control";

    private static readonly HashSet<string> _mitigationParameters = new(StringComparer.Ordinal)
    {
        "mitigations", "nopti", "pti", "kpti", "nospectre_v1", "nospectre_v2", "spectre_v2", "spectre_v2_user", "spectre_bhi",
        "nospectre_bhb", "spec_store_bypass_disable", "nospec_store_bypass_disable", "ssbd", "noibrs", "noibpb", "l1tf",
        "l1d_flush", "mds", "tsx_async_abort", "tsx", "mmio_stale_data", "retbleed", "spec_rstack_overflow",
        "gather_data_sampling", "reg_file_data_sampling", "indirect_target_selection", "tsa", "vmscape", "srbds", "nosmt",
        "kvm.nx_huge_pages", "kvm-intel.vmentry_l1d_flush",
    };

    private static List<string>? ExpectedKernelParameters()
    {
        if (!File.Exists("/proc/cmdline"))
        {
            return null;
        }

        var parameters = new List<string>();
        foreach (var word in File.ReadAllText("/proc/cmdline").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word == "--")
            {
                break;
            }

            if (_mitigationParameters.Contains(word.Split('=', 2)[0]) && parameters.Count < 16)
            {
                parameters.Add(word.Length > 64 ? word[..64] : word);
            }
        }

        return parameters;
    }

    private static uint? ReadNumber(string path) =>
        File.Exists(path) && uint.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string ExtractFunction(string script, string start, string end)
    {
        var from = script.IndexOf(start, StringComparison.Ordinal);
        var to = script.IndexOf(end, from + 1, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"the script has {start}");
        return script[from..to];
    }

    private static string ExtractJsonStringFunction(string script)
    {
        var start = script.IndexOf("json_string() {", StringComparison.Ordinal);
        var end = script.IndexOf("# end json_string", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the json_string function is delimited in the script");
        return script[start..end];
    }

    private static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string? stdin)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{fileName} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    [GeneratedRegex(@"\{\d+\}|\{\{|@@|<%|__[A-Z]+__")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^\s*class\s+\w+\s*\{", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ClassDefinitionPattern();
}
