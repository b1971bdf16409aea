using System.Globalization;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>HOST_MAINTENANCE_PENDING</c>: the instance view has a <c>maintenanceRedeployStatus</c> with a window. The
/// platform will reboot the machine onto an updated host; redeploying it by hand is not advised, since a redeploy may
/// land on a host that is not updated yet and cause a second reboot.
/// </summary>
public sealed class HostMaintenancePendingRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Machine?.InstanceView?.Maintenance is not { HasWindow: true } window)
        {
            yield break;
        }

        var start = window.MaintenanceWindowStart ?? window.PreMaintenanceWindowStart;
        var end = window.MaintenanceWindowEnd ?? window.PreMaintenanceWindowEnd;
        var when = string.Create(CultureInfo.InvariantCulture, $"{(start is null ? "?" : start.Value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture))} to {(end is null ? "?" : end.Value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture))}");
        yield return new Finding(
            FindingCode.HostMaintenancePending,
            Severity.Info,
            $"Azure has scheduled maintenance for this machine ({when}): the platform will reboot it onto an updated host. " +
            $"Redeploying it yourself is not advised: a redeploy may land on a host that is not updated yet and cause a second reboot ({Guidance.Azure}).",
            Evidence.Maintenance(window));
    }
}
