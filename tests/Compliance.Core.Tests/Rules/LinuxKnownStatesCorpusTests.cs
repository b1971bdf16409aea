using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

/// <summary>
/// Every (file, value) pair drawn from the kernels' own sources (<c>TestData/linux-sysfs-states.tsv</c>: mainline x86
/// <c>bugs.c</c> from v4.15 on, arm64, the generic fallback, the hw-vuln documentation, RHEL, UEK and SLE kernels and
/// real outputs), each with the class its source gives it, read by the classifier and judged by the whole rule set.
/// </summary>
public sealed class LinuxKnownStatesCorpusTests
{
    public sealed record CorpusEntry(string File, string Value, string Expected, string Source)
    {
        public override string ToString() => $"{File}: {Value}";
    }

    public static TheoryData<CorpusEntry> Corpus()
    {
        var data = new TheoryData<CorpusEntry>();
        foreach (var entry in ReadCorpus())
        {
            data.Add(entry);
        }

        return data;
    }

    internal static IReadOnlyList<CorpusEntry> ReadCorpus()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "linux-sysfs-states.tsv");
        return File.ReadAllLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("file\t", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))
            .Select(c => new CorpusEntry(c[0], c[1], c[2], c[3]))
            .ToList();
    }

    [Fact]
    public void Corpus_CoversEveryFileAndClassWithASourceEach()
    {
        var corpus = ReadCorpus();

        Assert.True(corpus.Count >= 250, $"the corpus has {corpus.Count} entries");
        Assert.All(corpus, e => Assert.False(string.IsNullOrWhiteSpace(e.Source), $"{e} has no source"));
        Assert.All(corpus, e => Assert.Contains(e.Expected, (string[])["not-affected", "mitigated", "vulnerable", "later-hole", "unknown"]));
        Assert.Equal(corpus.Count, corpus.Select(e => (e.File, e.Value)).Distinct().Count());
        foreach (var file in LinuxKnownStates.All.Select(s => s.File))
        {
            Assert.Contains(corpus, e => e.File == file);
        }
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Read_EveryKernelWording_HasTheClassItsSourceGivesIt(CorpusEntry entry)
    {
        var reading = LinuxStateClassifier.Read(entry.File, entry.Value);

        var expected = entry.Expected switch
        {
            "not-affected" => LinuxStateKind.NotAffected,
            "mitigated" => LinuxStateKind.Mitigated,
            "vulnerable" => LinuxStateKind.Vulnerable,
            "later-hole" when LinuxKnownStates.January2018Files.Contains(entry.File) => LinuxStateKind.LaterHole,
            "later-hole" => LinuxStateKind.Vulnerable,
            _ => LinuxStateKind.Unknown,
        };
        Assert.True(expected == reading.Kind, $"{entry} ({entry.Source}) reads as {reading.Kind}, not {expected}: {string.Join(" | ", reading.Clauses.Select(c => $"{c.Text}={c.Kind}"))}");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Assess_EveryKernelWording_GetsTheVerdictItsClassCallsFor(CorpusEntry entry)
    {
        var files = Reports.Patched((entry.File, entry.Value));
        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(files));
        var codes = assessment.Codes();
        var january = LinuxKnownStates.January2018Files.Contains(entry.File);

        switch (entry.Expected)
        {
            case "not-affected" or "mitigated":
                Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
                Assert.Empty(codes);
                break;
            case "vulnerable" when january:
                // The BTI microcode a VM cannot see is information (the Azure guidance), every other hole an action.
                if (codes.Contains("BTI_MICROCODE_NOT_EXPOSED"))
                {
                    Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
                }
                else
                {
                    Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
                    Assert.Contains(assessment.Findings, f => f.Severity == Severity.High && f.Action is not null);
                }

                break;
            case "unknown" when january:
                Assert.Equal(ComplianceStatus.Unknown, assessment.Status);
                Assert.Equal(["MITIGATION_STATE_UNKNOWN"], codes);
                break;
            case "unknown":
                Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
                Assert.Equal(["LATER_VARIANT_UNVERIFIED"], codes);
                break;
            default:
                // A later variant's hole, in a later file or in a clause of a January 2018 file: a Low finding.
                Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
                Assert.Equal(["LATER_VARIANT_VULNERABLE"], codes);
                Assert.Equal(Severity.Low, Assert.Single(assessment.Findings).Severity);
                break;
        }
    }
}
