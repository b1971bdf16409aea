using System.Diagnostics;
using Compliance.Core.Remediation;

namespace Compliance.Core.Tests.Remediation;

/// <summary>
/// The Linux script run by real shells against a scratch copy of the two places it writes (the sysctl file and
/// /etc/sysctl.d), so the test never changes this machine: its output is what the parser reads.
/// </summary>
public sealed class LinuxRemediationScriptRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("remediation-").FullName;

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

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Run_UnprivilegedEbpfAllowed_SetAtOnceAndPersisted(string shell)
    {
        var sysctl = Sysctl("0\n");

        var (stdout, exitCode) = await RunAsync(shell);

        Assert.Equal(0, exitCode);
        Assert.Equal("SET kernel.unprivileged_bpf_disabled=1 PREVIOUS=0\nRESULT ok\n", stdout);
        var output = RemediationScriptOutput.Parse(stdout);
        Assert.True(output.Succeeded, output.Error);
        Assert.Equal([new RemediationSetting("kernel.unprivileged_bpf_disabled", "1", "0")], output.Settings);
        Assert.Equal("1\n", File.ReadAllText(sysctl));
        var conf = File.ReadAllText(Path.Combine(_root, "sysctl.d", "90-compliance-unprivileged-bpf.conf"));
        Assert.Contains("\nkernel.unprivileged_bpf_disabled = 1\n", conf, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "sysctl.d", "90-compliance-unprivileged-bpf.conf.tmp")));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Run_HostilePreviousValue_ReportedAsInvalid(string shell)
    {
        Sysctl("0\u001b]0;x\u0007\n");

        var (stdout, _) = await RunAsync(shell);

        Assert.Equal("SET kernel.unprivileged_bpf_disabled=1 PREVIOUS=invalid\nRESULT ok\n", stdout);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Run_KernelWithoutTheSysctl_ErrorAndExitCode1(string shell)
    {
        var (stdout, exitCode) = await RunAsync(shell);

        Assert.Equal(1, exitCode);
        var output = RemediationScriptOutput.Parse(stdout);
        Assert.Equal("the script failed: the kernel has no kernel.unprivileged_bpf_disabled", output.Error);
        Assert.Empty(output.Settings);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Run_CannotPersist_TheRuntimeValueAndTheReason(string shell)
    {
        Sysctl("2\n");
        File.WriteAllText(Path.Combine(_root, "sysctl.d"), "a file where the directory should be");

        var (stdout, exitCode) = await RunAsync(shell);

        Assert.Equal(1, exitCode);
        var output = RemediationScriptOutput.Parse(stdout);
        Assert.Equal([new RemediationSetting("kernel.unprivileged_bpf_disabled", "1", "2")], output.Settings);
        Assert.StartsWith("the script failed: cannot ", output.Error, StringComparison.Ordinal);
    }

    private string Sysctl(string content)
    {
        var path = Path.Combine(_root, "unprivileged_bpf_disabled");
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<(string Stdout, int ExitCode)> RunAsync(string shell)
    {
        // Only the two paths move into the scratch directory; the rest of the script runs as shipped. A sysctl that
        // always fails makes the script write the file itself, as it does where sysctl is missing.
        var text = RemediationScripts.Find("linux-unprivileged-bpf")!.Script.Text
            .Replace("/proc/sys/kernel/unprivileged_bpf_disabled", Path.Combine(_root, "unprivileged_bpf_disabled"), StringComparison.Ordinal)
            .Replace("CONF_DIR=/etc/sysctl.d", "CONF_DIR=" + Path.Combine(_root, "sysctl.d"), StringComparison.Ordinal);
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        var fake = Path.Combine(bin, "sysctl");
        File.WriteAllText(fake, "#!/bin/sh\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }

        var start = new ProcessStartInfo(shell)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (shell.EndsWith("busybox", StringComparison.Ordinal))
        {
            start.ArgumentList.Add("sh");
        }

        start.ArgumentList.Add("-s");
        start.Environment["PATH"] = bin + ":/usr/bin:/bin";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await stdout, process.ExitCode);
    }
}
