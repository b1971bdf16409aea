using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.Rules;
using Compliance.Core.Tests.TestData;
using FsCheck;
using FsCheck.Fluent;

namespace Compliance.Core.Tests.Properties;

/// <summary>
/// The principle over generated states: a verdict is Compliant only when every fact it rests on was established. No
/// unrecognised, empty or "Unknown" state of a January 2018 file, and no gap of the Windows checklist, ever yields it.
/// </summary>
public sealed class VerdictProperties
{
    private static readonly string[] _januaryFiles = ["meltdown", "spectre_v1", "spectre_v2"];

    private static readonly string[] _corpusValues = LinuxKnownStatesCorpusTests.ReadCorpus()
        .Where(e => _januaryFiles.Contains(e.File))
        .Select(e => e.Value)
        .Distinct()
        .ToArray();

    private static readonly string[] _words =
        ["Mitigation", "Vulnerable", "Not affected", "Unknown", "PTI", "Retpolines", "IBPB", "BHI", "SMT", "KVM", "SW loop", "none", "", " ", "x"];

    // Near misses of real wordings: a real value cut, extended with an unknown clause, with a word swapped, or glued
    // to another real value; and any text at all.
    private static readonly Gen<string> _value = Gen.OneOf(
        Gen.Elements(_corpusValues),
        Gen.Zip(Gen.Elements(_corpusValues), Gen.Choose(0, 200)).Select(p => p.Item1[..Math.Min(p.Item2, p.Item1.Length)]),
        Gen.Zip(Gen.Elements(_corpusValues), Gen.Zip(Gen.Elements(_words), Gen.Elements(_words)), (value, w) => $"{value}; {w.Item1}: {w.Item2}"),
        Gen.Zip(Gen.Elements(_corpusValues), Gen.Zip(Gen.Elements(_words), Gen.Elements(_words)), (value, w) => w.Item1.Length == 0 ? value : value.Replace(w.Item1, w.Item2, StringComparison.Ordinal)),
        Gen.Zip(Gen.Elements(_corpusValues), Gen.Elements(_corpusValues)).Select(p => p.Item1 + ", " + p.Item2),
        Gen.Zip(Gen.Elements(_words), Gen.Elements(_words)).Select(p => $"{p.Item1}: {p.Item2}"),
        PropertyRuns.AnyString.Generator);

    [Fact]
    public void Assess_AnyJanuary2018State_CompliantOnlyWhenEveryFileIsAKnownMitigation() =>
        PropertyRuns.Check(Prop.ForAll(_value.ToArbitrary(), _value.ToArbitrary(), _value.ToArbitrary(), (meltdown, v1, v2) =>
        {
            var files = Reports.Patched(("meltdown", meltdown), ("spectre_v1", v1), ("spectre_v2", v2));
            var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(files));
            var readings = _januaryFiles.Select(f => LinuxStateClassifier.Read(f, files[f])).ToList();
            var established = readings.All(r => r.Kind is LinuxStateKind.NotAffected or LinuxStateKind.Mitigated or LinuxStateKind.LaterHole);
            var notEstablished = readings.Any(r => r.Kind is LinuxStateKind.Unknown or LinuxStateKind.Unrecognised);
            var proven = assessment.Actions.Count > 0;

            return (assessment.Status != ComplianceStatus.Compliant || established)
                && (!notEstablished || assessment.Status == (proven ? ComplianceStatus.ActionRequired : ComplianceStatus.Unknown))
                && (!notEstablished || assessment.Findings.Any(f => f.Code == FindingCode.MitigationStateUnknown));
        }), cases: 3000);

    [Fact]
    public void Assess_AnyLaterVariantState_NeverSilentUnlessAKnownMitigation() =>
        PropertyRuns.Check(Prop.ForAll(_value.ToArbitrary(), Gen.Elements(LinuxKnownStates.All.Select(s => s.File).Except(_januaryFiles).Append("future_issue").ToArray()).ToArbitrary(), (value, file) =>
        {
            var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched((file, value))));
            var reading = LinuxStateClassifier.Read(file, value);

            return assessment.Status == ComplianceStatus.Compliant
                && (reading.IsFine ? assessment.Findings.Count == 0 : assessment.Findings.Single().Severity == Severity.Low);
        }), cases: 2000);

    private static readonly Gen<uint> _flags = Gen.OneOf(
        ArbMap.Default.GeneratorFor<uint>(),
        Gen.Elements(0u, 0x379u, Reports.CurrentFlags, 0x0400_0379u, 0x0500_0104u, 0x0600_0106u, 0x0600_037Bu, 0x0600_037Au));

    private static readonly Gen<uint> _flags2 = Gen.OneOf(ArbMap.Default.GeneratorFor<uint>(), Gen.Elements(0u, 0x10u, 0x17u, 0x18u, 0x1800u, 0x1817u));

    private static readonly Gen<uint> _kvaFlags = Gen.OneOf(ArbMap.Default.GeneratorFor<uint>(), Gen.Elements(0u, 0x20u, 0x30u, 0x31u, 0x3Du, Reports.CurrentKvaFlags));

    [Fact]
    public void Assess_AnyWindowsFlags_CompliantOnlyWhenTheUntrustedCodeChecklistHolds()
    {
        var vendors = Gen.Elements<string?>(CpuInfo.Intel, CpuInfo.Amd, "HygonGenuine", "CentaurHauls", null);
        var features = Gen.Elements<string[]>([], ["RDS-RD-Server"], ["Hyper-V"], ["Containers"], ["Web-Server"]);
        var minVmVersion = Gen.Elements<string?>(null, "1.0", "8.0");
        PropertyRuns.Check(Prop.ForAll(
            Gen.Zip(_flags, Gen.Zip(_flags2, _kvaFlags)).ToArbitrary(),
            Gen.Zip(vendors, Gen.Zip(features, minVmVersion)).ToArbitrary(),
            (bits, machine) =>
            {
                var (flags, (flags2, kva)) = bits;
                var (vendor, (roles, minVm)) = machine;
                var report = Reports.Windows(
                    speculationControl: Reports.Ok(flags, flags2),
                    kvaShadow: Reports.Ok(kva),
                    features: roles,
                    manufacturer: vendor,
                    registry: new WindowsRegistry(null, null, minVm, 0));
                var assessment = Judge.Assess(Resources.Vm(), report);
                if (assessment.Status != ComplianceStatus.Compliant || roles is not ["RDS-RD-Server" or "Hyper-V" or "Containers"])
                {
                    return true;
                }

                // An independent reading of the bits (SpeculationControl's): what a compliant untrusted machine must show.
                var rdclNo = (flags2 & 0x1800) == 0x1800;
                var kvaNeeded = !rdclNo && ((kva & 0x20) != 0 ? (kva & 0x10) != 0 : vendor is not (CpuInfo.Amd or "HygonGenuine"));
                var kvaOk = !kvaNeeded || (kva & 0x01) != 0;
                var btiOk = (flags & 0x01) != 0 || (flags & 0x04) != 0 || (flags & 0x18) == 0;
                var l1tfOk = !kvaNeeded || (kva & 0x3000) != 0 || ((kva & 0xFC0) != 0 && (kva & 0x01) != 0);
                var mdsOk = (flags & 0x0400_0000) != 0
                    && ((flags & 0x0300_0000) != 0 || vendor is CpuInfo.Amd or "HygonGenuine");
                var hyperVOk = roles is not ["Hyper-V"] || minVm == "1.0";
                return kvaOk && btiOk && l1tfOk && mdsOk && hyperVOk;
            }), cases: 3000);
    }
}
