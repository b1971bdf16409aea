using Compliance.Core.Exemptions;
using Compliance.Core.Reporting;

namespace Compliance.Core.Tests.Exemptions;

/// <summary>Verdicts and exemptions for the exemption tests.</summary>
internal static class ExemptionSamples
{
    public const string Subscription = "11111111-1111-1111-1111-111111111111";

    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Rg(string name) => $"/subscriptions/{Subscription}/resourceGroups/{name}";

    public static string Vm(string rg = "rg1", string name = "vm-1") => $"{Rg(rg)}/providers/Microsoft.Compute/virtualMachines/{name}";

    public static ReportFinding Finding(string code, string? action) =>
        new(code, "High", "message", new Dictionary<string, object?>()) { Action = action };

    /// <summary>A verdict of <paramref name="id"/>: its actions are those its findings call for.</summary>
    public static ReportResource Verdict(string id, string status, DateTimeOffset at, params ReportFinding[] findings) => new(
        id,
        "VirtualMachine",
        id[(id.LastIndexOf('/') + 1)..],
        "Windows",
        status,
        findings.Select(f => f.Action).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList(),
        findings,
        Subscription,
        "rg1",
        "westeurope",
        at);

    public static ReportResource NeedsUpdate(DateTimeOffset at, string? id = null) =>
        Verdict(id ?? Vm(), "ActionRequired", at, Finding("GUEST_UPDATE_MISSING", "GuestUpdate"));

    public static Exemption Exemption(string id, string scope, string[]? actions = null, string[]? codes = null, DateTimeOffset? expiresOn = null) => new(
        id,
        scope,
        ExemptionCategory.Waiver,
        actions ?? [],
        codes ?? [],
        expiresOn,
        "accepted",
        "tester",
        T0,
        "tester",
        T0);

    public static ExemptionRequest Request(string scope, string[]? actions = null, string[]? codes = null, DateTimeOffset? expiresOn = null, string category = "Waiver", string justification = "risk accepted until the host is replaced") =>
        new(scope, category, actions, codes, expiresOn, justification);
}
