using System.Text.Json.Nodes;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using FsCheck;
using FsCheck.Fluent;

namespace Compliance.Core.Tests.Properties;

/// <summary>The guest-report parser over generated output: never an exception, and a real report always read back.</summary>
public sealed class GuestReportParserProperties
{
    private static readonly Gen<string> _text = Gen.Elements(
        "5.15.0-1057-azure", "Mitigation: PTI", "Vulnerable", "Not affected", "", "'", "\"", "<script>alert(1)</script>",
        "\u0000", "\u001b[31m", "é€😀", "a\nb", "\\", "{", "}", "[stdout]").ListOf().Select(string.Concat);

    private static readonly Gen<string> _hostile = Gen.OneOf(
        PropertyRuns.AnyString.Generator,
        Gen.Choose(1, 5000).Select(n => new string('{', n)),
        Gen.Choose(1, 2000).Select(n => string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n)),
        Gen.Choose(1, 200_000).Select(n => new string('x', n) + "}"),
        _text.Select(t => "{\"schema\":1,\"os\":\"Linux\",\"vulnerabilities\":" + t + "}"));

    [Fact]
    public void Parse_AnyOutput_NeverThrows() =>
        PropertyRuns.Check(Prop.ForAll(_hostile.ToArbitrary(), output =>
        {
            var result = GuestReportParser.Parse(output);
            return result.Success == (result.Report is not null) && (result.Success || !string.IsNullOrEmpty(result.Error));
        }), cases: 500);

    [Fact]
    public void Parse_AnyLinuxReport_AfterAnyNoise_ReadsItBack()
    {
        var files = Gen.Zip(Gen.Elements("meltdown", "spectre_v1", "spectre_v2", "mds", "retbleed", "x"), _text, (name, value) => (Name: name, Value: value)).ListOf()
            .Select(pairs => pairs.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value));
        PropertyRuns.Check(Prop.ForAll(_text.ToArbitrary(), files.ToArbitrary(), _text.ToArbitrary(), (kernel, vulnerabilities, noise) =>
        {
            var json = new JsonObject
            {
                ["schema"] = GuestReport.SupportedSchema,
                ["os"] = "Linux",
                ["kernel"] = kernel,
                ["vulnerabilities"] = new JsonObject(vulnerabilities.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            };
            // Whatever the guest printed first, the report is the last JSON object.
            var result = GuestReportParser.Parse(noise + "\n" + json.ToJsonString() + "\n", OsType.Linux);
            var linux = result.Report as LinuxGuestReport;
            return linux is not null
                && linux.Kernel == kernel
                && linux.Vulnerabilities!.Count == vulnerabilities.Count
                && vulnerabilities.All(p => linux.Vulnerabilities[p.Key] == p.Value);
        }), cases: 500);
    }

    [Fact]
    public void Parse_ReportOfTheOtherOs_IsNeverTakenForThisOne() =>
        PropertyRuns.Check(Prop.ForAll(_text.ToArbitrary(), kernel =>
        {
            var json = new JsonObject { ["schema"] = 1, ["os"] = "Linux", ["kernel"] = kernel, ["vulnerabilities"] = null };
            return !GuestReportParser.Parse(json.ToJsonString(), OsType.Windows).Success;
        }), cases: 200);
}
