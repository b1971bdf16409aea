using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Compliance.Server.Dashboard;

namespace Compliance.Server.Tests.Dashboard;

/// <summary>Verdicts, scans and dashboard data for the renderer's tests.</summary>
internal static class DashboardTestData
{
    public const string Subscription = "11111111-1111-1111-1111-111111111111";

    public static DateTimeOffset Now { get; } = new(2026, 11, 21, 10, 15, 0, TimeSpan.Zero);

    public static ReportSummary Summary(int compliant, int actionRequired, int unknown, int exempt, int guestUpdate, int kvaShadowing) => new(
        compliant + actionRequired + unknown + exempt,
        compliant,
        actionRequired,
        unknown,
        exempt,
        new Dictionary<string, int>(StringComparer.Ordinal) { ["GuestUpdate"] = guestUpdate, ["KvaShadowing"] = kvaShadowing });

    public static ReportFinding Finding(string code, string severity = "High", string message = "Install the update.", IReadOnlyDictionary<string, object?>? evidence = null) =>
        new(code, severity, message, evidence ?? new Dictionary<string, object?>());

    public static ReportResource Resource(
        string name,
        string kind = "VirtualMachine",
        string status = "ActionRequired",
        IReadOnlyList<string>? actions = null,
        IReadOnlyList<ReportFinding>? findings = null) => new(
        $"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Compute/{(kind == "CloudService" ? "cloudServices" : "virtualMachines")}/{name}",
        kind,
        name,
        kind == "CloudService" ? null : "Linux",
        status,
        actions ?? (status == "ActionRequired" ? ["GuestUpdate"] : []),
        findings ?? (status == "ActionRequired" ? [Finding("GUEST_UPDATE_MISSING")] : []),
        Subscription,
        "rg-app",
        "westeurope",
        Now.AddMinutes(-5));

    public static ScanRecord Scan(string scanId, DateTimeOffset startedAt, ReportSummary summary, bool completed = true) =>
        new(scanId, startedAt, completed ? startedAt.AddMinutes(2) : null, summary, summary.Total, 0, [], null);

    public static DashboardRows Rows(params ReportResource[] resources) => new(resources, resources.Length);

    public static DashboardData Empty() =>
        new(ComplianceReportBuilder.Summarize([]), null, null, [], DashboardRows.None, DashboardRows.None, DashboardRows.None, Now);
}
