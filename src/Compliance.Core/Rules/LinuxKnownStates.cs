using System.Collections.Frozen;
using static Compliance.Core.Rules.LinuxStateCause;
using static Compliance.Core.Rules.LinuxStateKind;

namespace Compliance.Core.Rules;

/// <summary>
/// Every wording the Linux kernel prints into <c>/sys/devices/system/cpu/vulnerabilities/*</c> on the architectures
/// Azure runs (x86 from v4.15, January 2018, to v6.18; arm64), and the distribution kernels' own wordings (RHEL/CentOS
/// 6 and 7, Oracle UEK, SUSE SLE 12), each with its meaning and its source. <c>docs/rules.md</c> lists the table with
/// its sources; a corpus test holds every (file, value) pair drawn from them. A wording that is not here establishes
/// nothing: the verdict becomes Unknown for a January 2018 file and a Low finding for a later one.
/// </summary>
public static class LinuxKnownStates
{
    /// <summary>The file of Meltdown (CVE-2017-5754).</summary>
    public const string Meltdown = "meltdown";

    /// <summary>The file of Spectre variant 1 (CVE-2017-5753).</summary>
    public const string SpectreV1 = "spectre_v1";

    /// <summary>The file of Spectre variant 2 (CVE-2017-5715).</summary>
    public const string SpectreV2 = "spectre_v2";

    /// <summary>The three files of the January 2018 issues.</summary>
    public static IReadOnlyList<string> January2018Files { get; } = [Meltdown, SpectreV1, SpectreV2];

    private const string Bugs = "arch/x86/kernel/cpu/bugs.c";
    private const string Arm64 = "arch/arm64/kernel/proton-pack.c v5.10+ (cpu_errata.c v5.2-v5.9)";
    private const string Fallback = "drivers/base/cpu.c (generic fallback of every file) and each arch's cpu_show_* when the CPU is not affected";
    private const string Rhel = "RHEL/CentOS 6 and 7 kernel (3.10/2.6.32) arch/x86/kernel/cpu/bugs.c";
    private const string Uek = "Oracle UEK4 arch/x86/kernel/cpu/bugs_64.c (oracle/linux-uek)";
    private const string Sle12 = "SUSE SLE 12 kernel 4.4 arch/x86/kernel/cpu/bugs.c";
    private const string Unprivileged = "kernel.unprivileged_bpf_disabled";
    private const string SmtSuffix = "the SMT suffix of mds_show_state/tsx_async_abort_show_state/mmio_show_state, " + Bugs + " v5.2+";

    private static readonly string[] _verwOff = ["mds=off", "tsx_async_abort=off", "mmio_stale_data=off", "reg_file_data_sampling=off"];

    private static readonly FrozenDictionary<string, LinuxFileStates> _files = Build().ToFrozenDictionary(f => f.File, StringComparer.Ordinal);

    /// <summary>Every file the table knows.</summary>
    public static IReadOnlyCollection<LinuxFileStates> All => _files.Values;

    /// <summary>
    /// The wordings of <paramref name="file"/>; for a file the table does not know (a newer kernel's), only the
    /// generic <c>Not affected</c> and <c>Vulnerable</c>, so that any other wording of it is unrecognised.
    /// </summary>
    public static LinuxFileStates For(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return _files.TryGetValue(file, out var states)
            ? states
            : new LinuxFileStates(
                file,
                $"the issue the kernel reports as {file}",
                [Is("Not affected", NotAffected, None, Fallback), new("Vulnerable(: .+)?", Vulnerable, Update, Fallback)],
                [],
                []);
    }

    private static LinuxKnownState Is(string text, LinuxStateKind kind, LinuxStateCause cause, string source, string[]? parameters = null, string? remedy = null) =>
        new(System.Text.RegularExpressions.Regex.Escape(text), kind, cause, source, parameters, remedy);

    private static LinuxKnownState NotAffectedState() => Is("Not affected", NotAffected, None, Fallback);

    private static IEnumerable<LinuxFileStates> Build()
    {
        yield return new(
            Meltdown,
            "Meltdown (CVE-2017-5754)",
            [
                NotAffectedState(),
                Is("Mitigation: PTI", Mitigated, None, $"{Bugs} v4.15+ (cpu_show_meltdown); arch/arm64/kernel/cpufeature.c v5.2+"),
                Is("Vulnerable", Vulnerable, Update, $"{Bugs} v4.15+: a kernel without page table isolation, or nopti, pti=off, mitigations=off (arm64: kpti=0)"),
                Is("Unknown (XEN PV detected, hypervisor mitigation required)", Unknown, None, $"{Bugs} 2018+ (\"x86/pti: Don't report XenPV as vulnerable\"): a Xen PV guest depends on its hypervisor"),
            ],
            [],
            ["nopti", "pti=off", "kpti=0", "kpti=off"]);

        yield return new(
            SpectreV1,
            "Spectre variant 1 (CVE-2017-5753)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Update, $"{Bugs} v4.15 (before __user pointer sanitization, v4.16)"),
                Is("Mitigation: __user pointer sanitization", Mitigated, None, $"{Bugs} v4.16-v5.2 (\"x86/spectre: Report get_user mitigation for spectre_v1\"); arm64 and arm in every version"),
                Is("Mitigation: usercopy/swapgs barriers and __user pointer sanitization", Mitigated, None, $"{Bugs} v5.3+ and 4.4.189/4.9.189/4.14.137 (commit a2059825986a, spectre_v1_strings)"),
                Is("Vulnerable: __user pointer sanitization and usercopy barriers only; no swapgs barriers", Vulnerable, Setting, $"{Bugs} v5.3+ (commit a2059825986a): nospectre_v1 or mitigations=off"),
                Is("Mitigation: lfence", Mitigated, None, Uek),
                Is("Mitigation: Load fences", Mitigated, None, $"{Rhel} (RHEL 7.4)"),
                Is("Mitigation: Load fences, __user pointer sanitization", Mitigated, None, $"{Rhel} (RHEL 7.5)"),
                Is("Mitigation: Load fences, usercopy/swapgs barriers and __user pointer sanitization", Mitigated, None, $"{Rhel} (after the swapgs fix, 2019)"),
                Is("Vulnerable: Load fences, __user pointer sanitization and usercopy barriers only; no swapgs barriers", Vulnerable, Setting, $"{Rhel}: nospectre_v1"),
            ],
            [],
            ["nospectre_v1"]);

        string[] lfence = ["spectre_v2=retpoline,lfence", "spectre_v2=retpoline,amd", "spectre_v2=lfence"];
        var ebpf = $"set {Unprivileged}=1 (sysctl -w, and in /etc/sysctl.d/ so that it lasts; 2 on kernels that accept it keeps it changeable by root): unprivileged eBPF lets user programs defeat the mitigation";
        yield return new(
            SpectreV2,
            "Spectre variant 2 (CVE-2017-5715)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Update, $"{Bugs} v4.15+: a kernel built without retpoline, or nospectre_v2, spectre_v2=off, mitigations=off"),
                Is("Mitigation: None", Vulnerable, Update, "Documentation/admin-guide/hw-vuln/spectre.rst (its wording of the unmitigated state)"),
                Is("Vulnerable: Minimal generic ASM retpoline", Vulnerable, Update, $"{Bugs} v4.15-v4.20 (a compiler without retpoline support; removed by commit ef014aae8f1c)"),
                Is("Vulnerable: Minimal AMD ASM retpoline", Vulnerable, Update, $"{Bugs} v4.15-v4.20 (a compiler without retpoline support)"),
                Is("Mitigation: Full generic retpoline", Mitigated, None, $"{Bugs} v4.15-v5.16 (renamed \"Retpolines\" by commit d45476d98324)"),
                Is("Mitigation: Full AMD retpoline", LaterHole, Update, $"{Bugs} v4.15-v5.16: LFENCE-based; AMD found it insufficient in 2022 (CVE-2021-26401), and v5.17+ (commit 244d00b5dd47) use generic retpolines on AMD by default"),
                Is("Mitigation: Retpolines", Mitigated, None, $"{Bugs} v5.17+ (commit d45476d98324)"),
                Is("Mitigation: LFENCE", Vulnerable, Update, $"{Bugs} v5.17 (commit d45476d98324) and spectre.rst, and {Uek} (\"Mitigation: lfence\", early 2018): the LFENCE-based mitigation that v5.17+ print as \"Vulnerable: LFENCE\" (commit eafd987d4a82)", lfence),
                Is("Vulnerable: LFENCE", Vulnerable, Setting, $"{Bugs} v5.17+ (commit eafd987d4a82; with clauses after it since v6.18, commit d1cc1baef67a): only spectre_v2=retpoline,lfence or =retpoline,amd select it", lfence),
                Is("Mitigation: Enhanced IBRS", Mitigated, None, $"{Bugs} v4.19+"),
                Is("Mitigation: Enhanced IBRS + LFENCE", Mitigated, None, $"{Bugs} v5.17+ (commit 1e19da8522c8)"),
                Is("Mitigation: Enhanced IBRS + Retpolines", Mitigated, None, $"{Bugs} v5.17+ (commit 1e19da8522c8)"),
                Is("Mitigation: Enhanced / Automatic IBRS", Mitigated, None, $"{Bugs} v6.3+ and stable kernels (\"x86/cpu: Support AMD Automatic IBRS\")"),
                Is("Mitigation: Enhanced / Automatic IBRS + LFENCE", Mitigated, None, $"{Bugs} v6.3+"),
                Is("Mitigation: Enhanced / Automatic IBRS + Retpolines", Mitigated, None, $"{Bugs} v6.3+"),
                Is("Mitigation: IBRS", Mitigated, None, $"{Bugs} v5.19+ (spectre_v2=ibrs); {Uek}"),
                Is("Vulnerable: Unprivileged eBPF enabled", Vulnerable, Setting, $"{Arm64} v5.17+ (Spectre-BHB); {Bugs} v5.17-rc8 (commit 44a3918c8245)", remedy: ebpf),
                Is("Vulnerable: eIBRS with unprivileged eBPF", Vulnerable, Setting, $"{Bugs} v5.17+ (commit 0de05d056afd)", remedy: ebpf),
                Is("Vulnerable: eIBRS+LFENCE with unprivileged eBPF and SMT", Vulnerable, Setting, $"{Bugs} v5.17+", ["spectre_v2=eibrs,lfence"], ebpf + ", or boot without spectre_v2=eibrs,lfence"),
                Is("Mitigation: Branch predictor hardening", Mitigated, None, Arm64),
                Is("Mitigation: CSV2", Mitigated, None, $"{Arm64} v5.17+ (always followed by its BHB clause)"),
                Is("Vulnerable: Minimal ASM retpoline", Vulnerable, Update, Rhel),
                Is("Vulnerable: Retpoline without IBPB", Vulnerable, Microcode, $"{Rhel}: the kernel is protected by retpoline, but IBPB microcode is not visible (in an Azure VM, by design)"),
                Is("Vulnerable: Retpoline on Skylake+", Vulnerable, Microcode, $"{Rhel}: Skylake needs IBRS, whose microcode is not visible (in an Azure VM, by design), or spectre_v2=retpoline/noibrs chose retpoline", ["spectre_v2=retpoline", "noibrs"]),
                Is("Vulnerable: Retpoline with unsafe module(s)", Vulnerable, Module, $"{Rhel}: a module without retpoline is loaded"),
                Is("Mitigation: Full retpoline", Mitigated, None, Rhel),
                Is("Mitigation: Full retpoline and IBRS (user space)", Mitigated, None, Rhel),
                Is("Mitigation: IBRS (kernel)", Mitigated, None, Rhel),
                Is("Mitigation: IBRS (kernel and user space)", Mitigated, None, Rhel),
                Is("Mitigation: IBP disabled", Mitigated, None, Rhel),
                Is("Mitigation: Basic IBRS", Mitigated, None, Uek),
                Is("Mitigation: Full generic retpoline (non-retpoline module(s) has been loaded)", Vulnerable, Module, $"{Uek}: a module without retpoline is loaded"),
                Is("Mitigation: IBRS+IBPB", Mitigated, None, Sle12),
                Is("Mitigation: Full generic retpoline + IBPB", Mitigated, None, $"{Sle12} (\" + IBPB\" appended)"),
                Is("Mitigation: Full AMD retpoline + IBPB", LaterHole, Update, $"{Sle12}: LFENCE-based on AMD (CVE-2021-26401)"),
            ],
            [
                Is("IBPB", Mitigated, None, $"{Bugs} v4.16-v4.19"),
                Is("IBRS_FW", Mitigated, None, $"{Bugs} v4.16+"),
                Is("IBRS", Mitigated, None, Uek),
                Is("STIBP", Mitigated, None, $"{Bugs} v4.19"),
                Is("RSB filling", Mitigated, None, $"{Bugs} v4.19+ (absent in eIBRS modes since v6.15, commit 27ce8299bc1e)"),
                Is("IBPB: conditional", Mitigated, None, $"{Bugs} v4.20+ (ibpb_state)"),
                Is("IBPB: always-on", Mitigated, None, $"{Bugs} v4.20+ (ibpb_state)"),
                Is("IBPB: disabled", LaterHole, Setting, $"{Bugs} v4.20+ (ibpb_state): user programs are not protected from each other", ["spectre_v2_user=off"]),
                Is("STIBP: disabled", Mitigated, None, $"{Bugs} v4.20+ (stibp_state; also printed when SMT is off or STIBP is not supported)"),
                Is("STIBP: forced", Mitigated, None, $"{Bugs} v4.20+ (stibp_state)"),
                Is("STIBP: always-on", Mitigated, None, $"{Bugs} v4.20+ (stibp_state)"),
                Is("STIBP: conditional", Mitigated, None, $"{Bugs} v4.20+ (stibp_state)"),
                Is("PBRSB-eIBRS: Not affected", Mitigated, None, $"{Bugs} v6.0+ (pbrsb_eibrs_state) and stable kernels"),
                Is("PBRSB-eIBRS: SW sequence", Mitigated, None, $"{Bugs} v6.0+ (pbrsb_eibrs_state)"),
                Is("PBRSB-eIBRS: Vulnerable", LaterHole, Update, $"{Bugs} v6.0+ (pbrsb_eibrs_state): post-barrier RSB predictions (CVE-2022-26373) are not cleared"),
                Is("BHI: Not affected", Mitigated, None, $"{Bugs} v6.9+ (spectre_bhi_state) and stable kernels"),
                Is("BHI: BHI_DIS_S", Mitigated, None, $"{Bugs} v6.9+ (spectre_bhi_state)"),
                Is("BHI: SW loop, KVM: SW loop", Mitigated, None, $"{Bugs} v6.9+ (spectre_bhi_state)"),
                Is("BHI: Retpoline", Mitigated, None, $"{Bugs} v6.9+ (spectre_bhi_state)"),
                Is("BHI: Syscall hardening, KVM: SW loop", LaterHole, Update, $"{Bugs} v6.9-rc3 and stable 6.1.85/6.6.26 (renamed \"BHI: Vulnerable, KVM: SW loop\" by \"x86/bugs: Clarify that syscall hardening isn't a BHI mitigation\"): branch history injection (CVE-2022-0001) is open to user programs", ["spectre_bhi=off", "spectre_bhi=auto"]),
                Is("BHI: Vulnerable (Syscall hardening enabled)", LaterHole, Update, $"{Bugs} v6.9-rc3 and stable 6.1.85/6.6.26 (later \"BHI: Vulnerable\")", ["spectre_bhi=off"]),
                Is("BHI: Vulnerable", LaterHole, Update, $"{Bugs} v6.9+ (spectre_bhi_state): branch history injection (CVE-2022-0001) is not mitigated", ["spectre_bhi=off"]),
                Is("BHI: Vulnerable, KVM: SW loop", LaterHole, Update, $"{Bugs} v6.9+ (spectre_bhi_state): mitigated on VM exit only", ["spectre_bhi=vmexit", "spectre_bhi=auto"]),
                Is("BHB", Mitigated, None, $"{Arm64} v5.17+ (Spectre-BHB, commit 558c303c9734)"),
                Is("but not BHB", LaterHole, Update, $"{Arm64} v5.17+: branch history (Spectre-BHB, CVE-2022-23960) is not mitigated", ["nospectre_bhb"]),
                Is("ERAPS hardware RSB flush", Mitigated, None, $"{Bugs}: the AMD ERAPS patch series (the return stack is flushed by hardware)"),
            ],
            ["nospectre_v2", "spectre_v2=off"]);

        yield return new(
            "spec_store_bypass",
            "Speculative Store Bypass (CVE-2018-3639)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Microcode, $"{Bugs} v4.17+ (ssb_strings): no SSBD from the microcode or hypervisor, or a boot parameter; {Arm64}", ["spec_store_bypass_disable=off", "nospec_store_bypass_disable", "ssbd=force-off"]),
                Is("Mitigation: Speculative Store Bypass disabled", Mitigated, None, $"{Bugs} v4.17+ (ssb_strings)"),
                Is("Mitigation: Speculative Store Bypass disabled via prctl", Mitigated, None, $"{Bugs} v4.17+ (ssb_strings); {Arm64}"),
                Is("Mitigation: Speculative Store Bypass disabled via prctl and seccomp", Mitigated, None, $"{Bugs} v4.17+ (ssb_strings)"),
                new(@"Mitigation: Kernel entry/exit barrier \((hwsync|eieio|fallback)\)", Mitigated, None, "arch/powerpc/kernel/security.c (cpu_show_spec_store_bypass)"),
            ],
            [],
            ["spec_store_bypass_disable=off", "nospec_store_bypass_disable", "ssbd=force-off"]);

        string[] l1tfOff = ["l1tf=off", "kvm-intel.vmentry_l1d_flush=never"];
        yield return new(
            "l1tf",
            "L1 Terminal Fault (CVE-2018-3620, CVE-2018-3646)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Update, $"{Bugs} v4.19+: a 32-bit kernel without PAE, or memory above half the physical address space", remedy: "run a 64-bit (or PAE) kernel, or limit memory below half the physical address space"),
                Is("Mitigation: PTE Inversion", Mitigated, None, $"{Bugs} v4.19+ and stable 4.18.1 (L1TF_DEFAULT_MSG)"),
            ],
            [
                Is("VMX: EPT disabled", Mitigated, None, $"{Bugs} v4.19+ (l1tf_show_state)"),
                Is("VMX: vulnerable", Vulnerable, Setting, $"{Bugs} v4.19+ (l1tf_show_state): L1D flushing on VM entry is off", l1tfOff),
                new("VMX: vulnerable, SMT (vulnerable|disabled)", Vulnerable, Setting, $"{Bugs} v4.19+ (l1tf_show_state)", l1tfOff),
                new("VMX: (conditional cache flushes|cache flushes|flush not necessary), SMT vulnerable", Vulnerable, Smt, $"{Bugs} v4.19+ (l1tf_show_state): a nested guest can attack its sibling thread"),
                new("VMX: (conditional cache flushes|cache flushes|flush not necessary), SMT disabled", Mitigated, None, $"{Bugs} v4.19+ (l1tf_show_state)"),
                new("VMX: SMT vulnerable, L1D (conditional cache flushes|cache flushes|EPT disabled)", Vulnerable, Smt, $"{Bugs} 2018 format (\"VMX: SMT %s, L1D %s\"), in 4.18.y and distribution backports"),
                new("VMX: SMT disabled, L1D (conditional cache flushes|cache flushes|EPT disabled)", Mitigated, None, $"{Bugs} 2018 format, in 4.18.y and distribution backports"),
                new("VMX: SMT (vulnerable|disabled), L1D vulnerable", Vulnerable, Setting, $"{Bugs} 2018 format, in 4.18.y and distribution backports", l1tfOff),
            ],
            l1tfOff);

        foreach (var states in BufferClearingFiles())
        {
            yield return states;
        }

        yield return new(
            "itlb_multihit",
            "iTLB multihit (CVE-2018-12207)",
            [
                NotAffectedState(),
                Is("KVM: Mitigation: Split huge pages", Mitigated, None, $"{Bugs} v5.4+ (itlb_multihit_show_state)"),
                Is("KVM: Mitigation: VMX disabled", Mitigated, None, $"{Bugs} v5.9+ (commit f29dfa53cc8a)"),
                Is("KVM: Mitigation: VMX unsupported", Mitigated, None, $"{Bugs} v5.9+ (commit f29dfa53cc8a)"),
                Is("KVM: Vulnerable", Vulnerable, Setting, $"{Bugs} v5.4+: huge pages are not split for KVM guests", ["kvm.nx_huge_pages=off", "kvm.nx_huge_pages=never"]),
                Is("Processor vulnerable", Vulnerable, Hardware, $"{Bugs} v5.4+ without CONFIG_KVM_INTEL", remedy: "the issue lets a KVM guest deny service to its host; this kernel cannot run KVM guests, so it matters only if it is replaced by one that does"),
            ],
            [],
            ["kvm.nx_huge_pages=off", "kvm.nx_huge_pages=never"]);

        yield return new(
            "srbds",
            "Special Register Buffer Data Sampling (CVE-2020-0543)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v5.8+ (srbds_strings)", ["srbds=off"]),
                Is("Vulnerable: No microcode", Vulnerable, Microcode, $"{Bugs} v5.8+ (srbds_strings)"),
                Is("Mitigation: Microcode", Mitigated, None, $"{Bugs} v5.8+ (srbds_strings)"),
                Is("Mitigation: TSX disabled", Mitigated, None, $"{Bugs} v5.8+ (srbds_strings)"),
                Is("Unknown: Dependent on hypervisor status", Unknown, None, $"{Bugs} v5.8+ (srbds_strings): a guest cannot tell"),
            ],
            [],
            ["srbds=off"]);

        yield return new(
            "retbleed",
            "Retbleed (CVE-2022-29900, CVE-2022-29901)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Update, $"{Bugs} v5.19+ (retbleed_strings)", ["retbleed=off"]),
                Is("Vulnerable: untrained return thunk / IBPB on non-AMD based uarch", Vulnerable, Setting, $"{Bugs} v5.19+ (retbleed_show_state)", ["retbleed=unret", "retbleed=ibpb"]),
                Is("Mitigation: untrained return thunk", Mitigated, None, $"{Bugs} v5.19+ (retbleed_strings)"),
                Is("Mitigation: srso untrained return thunk", Mitigated, None, $"{Bugs} 6.x (retbleed_strings, SRSO series)"),
                Is("Mitigation: srso alias untrained return thunk", Mitigated, None, $"{Bugs} 6.x (retbleed_strings, SRSO series)"),
                Is("Mitigation: IBPB", Mitigated, None, $"{Bugs} v5.19+ (retbleed_strings)"),
                Is("Mitigation: IBPB on VMEXIT only", Mitigated, None, $"{Bugs} 6.x (retbleed_strings)"),
                Is("Mitigation: IBRS", Mitigated, None, $"{Bugs} v5.19+ (retbleed_strings)"),
                Is("Mitigation: Enhanced IBRS", Mitigated, None, $"{Bugs} v5.19+ (retbleed_strings)"),
                Is("Mitigation: Stuffing", Mitigated, None, $"{Bugs} v6.2+ (retbleed_strings)"),
            ],
            [
                Is("SMT disabled", Mitigated, None, $"{Bugs} v5.19+ (retbleed_show_state)"),
                Is("SMT enabled with STIBP protection", Mitigated, None, $"{Bugs} v5.19+ (retbleed_show_state)"),
                Is("SMT vulnerable", Vulnerable, Smt, $"{Bugs} v5.19+ (retbleed_show_state)", ["spectre_v2_user=off", "nospectre_v2"]),
            ],
            ["retbleed=off"]);

        string[] srsoMicrocode = ["spec_rstack_overflow=microcode"];
        yield return new(
            "spec_rstack_overflow",
            "Speculative Return Stack Overflow (CVE-2023-20569)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Update, $"{Bugs} v6.5+ (srso_strings)", ["spec_rstack_overflow=off"]),
                Is("Vulnerable, no microcode", Vulnerable, Microcode, $"{Bugs} v6.5-v6.6 (srso_show_state appends \", no microcode\")", ["spec_rstack_overflow=off"]),
                Is("Mitigation: safe RET", Mitigated, None, $"{Bugs} v6.5+ (srso_strings; \"Safe RET\" from v6.7)"),
                Is("Mitigation: safe RET, no microcode", Vulnerable, Microcode, $"{Bugs} v6.5-v6.6: the state v6.7+ print as \"Vulnerable: Safe RET, no microcode\""),
                Is("Mitigation: microcode", Vulnerable, Setting, $"{Bugs} v6.5-v6.6: the state v6.7+ print as \"Vulnerable: Microcode, no safe RET\"", srsoMicrocode),
                new("Mitigation: IBPB( on VMEXIT only)?, no microcode", Vulnerable, Microcode, $"{Bugs} v6.5-v6.6 (\", no microcode\" appended)"),
                Is("Mitigation: IBPB", Mitigated, None, $"{Bugs} v6.5+ (srso_strings)"),
                Is("Mitigation: IBPB on VMEXIT only", Mitigated, None, $"{Bugs} v6.5+ (srso_strings)"),
                Is("Mitigation: IBPB on VMEXIT", Mitigated, None, "Documentation/admin-guide/hw-vuln/srso.rst (its wording of \"IBPB on VMEXIT only\")"),
                Is("Mitigation: SMT disabled", Mitigated, None, $"{Bugs} v6.5+ (SRSO_NO)"),
                Is("Vulnerable: No microcode", Vulnerable, Microcode, $"{Bugs} v6.7+ (srso_strings)"),
                Is("Vulnerable: Safe RET, no microcode", Vulnerable, Microcode, $"{Bugs} v6.7+ (srso_strings)"),
                Is("Vulnerable: Microcode, no safe RET", Vulnerable, Setting, $"{Bugs} v6.7+ (srso_strings)", srsoMicrocode),
                Is("Mitigation: Reduced Speculation", Mitigated, None, $"{Bugs} v6.15+ (BP_SPEC_REDUCE)"),
            ],
            [],
            ["spec_rstack_overflow=off"]);

        yield return new(
            "gather_data_sampling",
            "Gather Data Sampling (CVE-2022-40982)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v6.5+ (gds_strings)", ["gather_data_sampling=off"]),
                Is("Vulnerable: No microcode", Vulnerable, Microcode, $"{Bugs} v6.5+ (gds_strings)"),
                Is("Mitigation: AVX disabled, no microcode", Mitigated, None, $"{Bugs} v6.5+ (gds_strings)"),
                Is("Mitigation: Microcode", Mitigated, None, $"{Bugs} v6.5+ (gds_strings)"),
                Is("Mitigation: Microcode (locked)", Mitigated, None, $"{Bugs} v6.5+ (gds_strings)"),
                Is("Unknown: Dependent on hypervisor status", Unknown, None, $"{Bugs} v6.5+ (gds_strings): a guest cannot tell"),
            ],
            [],
            ["gather_data_sampling=off"]);

        yield return new(
            "old_microcode",
            "out-of-date CPU microcode",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Microcode, $"{Bugs} v6.15+ (old_microcode_show_state)"),
                Is("Unknown: running under hypervisor", Unknown, None, $"{Bugs} v6.15+ (old_microcode_show_state)"),
            ],
            [],
            []);

        yield return new(
            "indirect_target_selection",
            "Indirect Target Selection (CVE-2024-28956)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v6.15+ (its_strings): also forced by spectre_v2=off or an LFENCE mode", ["indirect_target_selection=off"]),
                Is("Mitigation: Vulnerable, KVM: Not affected", Vulnerable, Setting, $"{Bugs} v6.15+ (its_strings): only guests are protected", ["indirect_target_selection=vmexit"]),
                Is("Vulnerable, KVM: Not affected", Vulnerable, Setting, "Documentation/admin-guide/hw-vuln/indirect-target-selection.rst (its wording of the state above)", ["indirect_target_selection=vmexit"]),
                Is("Mitigation: Aligned branch/return thunks", Mitigated, None, $"{Bugs} v6.15+ (its_strings)"),
                Is("Mitigation: Retpolines, Stuffing RSB", Mitigated, None, $"{Bugs} v6.15+ (its_strings)"),
            ],
            [],
            ["indirect_target_selection=off"]);

        yield return new(
            "tsa",
            "Transient Scheduler Attacks (CVE-2024-36350, CVE-2024-36357)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v6.16+ and stable kernels (tsa_strings)", ["tsa=off"]),
                Is("Vulnerable: Clear CPU buffers attempted, no microcode", Vulnerable, Microcode, $"{Bugs} stable backports (tsa_strings)"),
                Is("Vulnerable: No microcode", Vulnerable, Microcode, $"{Bugs} v6.17+ (tsa_strings)"),
                Is("Mitigation: Clear CPU buffers: user/kernel boundary", Mitigated, None, $"{Bugs} v6.16+ (tsa_strings)"),
                Is("Mitigation: Clear CPU buffers: VM", Vulnerable, Setting, $"{Bugs} v6.16+ (tsa_strings): buffers are cleared on VM entry only, so inside this VM the user/kernel boundary is open", ["tsa=vm"]),
                Is("Mitigation: Clear CPU buffers", Mitigated, None, $"{Bugs} v6.16+ (tsa_strings)"),
            ],
            [],
            ["tsa=off"]);

        yield return new(
            "vmscape",
            "VMScape (CVE-2025-40300)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v6.17+ (vmscape_strings)", ["vmscape=off"]),
                Is("Mitigation: IBPB before exit to userspace", Mitigated, None, $"{Bugs} v6.17+ (vmscape_strings)"),
                Is("Mitigation: IBPB on VMEXIT", Mitigated, None, $"{Bugs} v6.17+ (vmscape_strings)"),
                Is("Mitigation: Clear BHB before exit to userspace", Mitigated, None, $"{Bugs}: the VMScape BHB-clearing patch series"),
            ],
            [],
            ["vmscape=off"]);

        yield return new(
            "ghostwrite",
            "GhostWrite (RISC-V T-Head vector)",
            [
                NotAffectedState(),
                Is("Mitigation: xtheadvector disabled", Mitigated, None, "arch/riscv/kernel/bugs.c v6.14+"),
                Is("Vulnerable", Vulnerable, Setting, "arch/riscv/kernel/bugs.c v6.14+"),
            ],
            [],
            []);
    }

    // MDS, TAA, MMIO stale data and RFDS share one buffer-clearing mitigation (VERW): one left on re-enables the
    // others, so a plain "Vulnerable" needs all of them off, or mitigations=off.
    private static IEnumerable<LinuxFileStates> BufferClearingFiles()
    {
        LinuxKnownState[] smt =
        [
            Is("SMT disabled", Mitigated, None, SmtSuffix),
            Is("SMT mitigated", Mitigated, None, SmtSuffix),
            Is("SMT Host state unknown", Mitigated, None, $"{SmtSuffix}: printed in every guest, which cannot see its host's SMT (the mitigation itself is in force)"),
            Is("SMT vulnerable", Vulnerable, Smt, SmtSuffix),
        ];
        const string clearing = "Clear CPU buffers attempted, no microcode";

        yield return new(
            "mds",
            "Microarchitectural Data Sampling (CVE-2018-12126, CVE-2018-12127, CVE-2018-12130, CVE-2019-11091)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v5.2+ and stable 5.1.2 (mds_strings)", _verwOff),
                Is("Mitigation: Clear CPU buffers", Mitigated, None, $"{Bugs} v5.2+ (mds_strings)"),
                Is($"Vulnerable: {clearing}", Vulnerable, Microcode, $"{Bugs} v5.2+ (mds_strings)"),
            ],
            smt,
            _verwOff);

        yield return new(
            "tsx_async_abort",
            "TSX Asynchronous Abort (CVE-2019-11135)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v5.4+ (taa_strings)", _verwOff),
                Is("Mitigation: TSX disabled", Mitigated, None, $"{Bugs} v5.4+ (taa_strings)"),
                Is("Mitigation: Clear CPU buffers", Mitigated, None, $"{Bugs} v5.4+ (taa_strings)"),
                Is($"Vulnerable: {clearing}", Vulnerable, Microcode, $"{Bugs} v5.4+ (taa_strings)"),
            ],
            smt,
            _verwOff);

        yield return new(
            "mmio_stale_data",
            "Processor MMIO Stale Data (CVE-2022-21123, CVE-2022-21125, CVE-2022-21166)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v5.19+ (mmio_strings)", _verwOff),
                Is("Mitigation: Clear CPU buffers", Mitigated, None, $"{Bugs} v5.19+ (mmio_strings)"),
                Is($"Vulnerable: {clearing}", Vulnerable, Microcode, $"{Bugs} v5.19+ (mmio_strings)"),
                Is("Unknown: No mitigations", Unknown, None, $"{Bugs} v6.0-v6.15 (X86_BUG_MMIO_UNKNOWN; removed by commit dd86a1d013e0)"),
            ],
            smt,
            _verwOff);

        yield return new(
            "reg_file_data_sampling",
            "Register File Data Sampling (CVE-2023-28746)",
            [
                NotAffectedState(),
                Is("Vulnerable", Vulnerable, Setting, $"{Bugs} v6.9+ and stable kernels (rfds_strings)", _verwOff),
                Is("Vulnerable: No microcode", Vulnerable, Microcode, $"{Bugs} v6.9+ (rfds_strings)"),
                Is("Mitigation: Clear Register File", Mitigated, None, $"{Bugs} v6.9+ (rfds_strings)"),
            ],
            [],
            _verwOff);
    }
}
