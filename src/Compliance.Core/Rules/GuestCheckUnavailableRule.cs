using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>NOT_RUNNING</c>, <c>AGENT_UNAVAILABLE</c>, <c>CHECK_FAILED</c>, <c>OUTPUT_UNREADABLE</c>: the guest could not be
/// (fully) checked. Also raises <c>CHECK_FAILED</c> when a Windows kernel query ended in an error, since then the
/// state it reports is unknown.
/// </summary>
public sealed class GuestCheckUnavailableRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Guest?.Failure is { } failure)
        {
            yield return ForFailure(failure);
        }
        else if (context.Windows is { } windows
            && (windows.SpeculationControl.Status == KernelQueryStatus.Error || windows.KvaShadow.Status == KernelQueryStatus.Error))
        {
            yield return new Finding(
                FindingCode.CheckFailed,
                Severity.Low,
                "The guest check ran, but a kernel query failed, so the state it reports is unknown. Check the machine by hand with Microsoft's " +
                "SpeculationControl module (Get-SpeculationControlSettings).",
                Evidence.Of(
                    ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                    ("kvaShadow", Evidence.Query(windows.KvaShadow, includeSecondWord: false))));
        }
    }

    private static Finding ForFailure(GuestCheckFailure failure)
    {
        var (code, message) = failure.Kind switch
        {
            GuestCheckFailureKind.NotRunning => (FindingCode.NotRunning,
                $"The machine is not running ({failure.Reason}), so its guest could not be checked. It is checked again when it runs."),
            GuestCheckFailureKind.AgentUnavailable => (FindingCode.AgentUnavailable,
                $"The Azure VM agent is not ready ({failure.Reason}), so Run Command cannot reach the guest. Restore the VM agent (Windows Guest Agent or waagent) to get a verdict."),
            GuestCheckFailureKind.OutputUnreadable => (FindingCode.OutputUnreadable,
                $"The guest check ran but its output is not a readable report: {failure.Reason}."),
            _ => (FindingCode.CheckFailed, $"The guest check failed: {failure.Reason}."),
        };

        return new Finding(code, Severity.Low, message, failure.Evidence);
    }
}
