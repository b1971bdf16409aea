using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>KVA_SHADOWING_REQUIRED</c>: a Windows machine that runs untrusted code, whose CPU needs KVA shadow, does not
/// have it enabled (class-196 flag <c>0x01</c> clear), or its OS lacks KVA shadow support altogether (class 196 not
/// supported: then the guest update is needed too). When the registry already asks for KVA shadow, the message says a reboot is pending.
/// </summary>
public sealed class KvaShadowingRequiredRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { } windows || !context.Untrusted.IsUntrusted)
        {
            yield break;
        }

        var (needed, basis) = WindowsMitigations.NeedsKvaShadow(windows);
        if (!needed)
        {
            yield break;
        }

        var kb = WindowsMitigations.GuidanceArticle(windows);
        string message;
        if (windows.KvaShadow.Status == KernelQueryStatus.NotSupported)
        {
            message =
                $"This Windows machine runs untrusted code ({context.Untrusted.Reasons}) and {basis}, but the OS lacks KVA shadow support: " +
                $"install the January 2018 (or later) update first, then enable Kernel VA Shadowing as {kb} describes " +
                $"({Guidance.EnableBtiAndKvaShadow} under {Guidance.MemoryManagementKey}) and reboot ({Guidance.Azure}).";
        }
        else if (windows.KvaShadow.IsOk && !windows.KvaShadow.Has(WindowsMitigations.KvaShadowEnabled))
        {
            message = WindowsMitigations.RegistryRequestsKvaShadow(windows.Registry)
                ? $"This Windows machine runs untrusted code ({context.Untrusted.Reasons}) and {basis}. The registry already asks for Kernel VA Shadowing " +
                  $"(FeatureSettingsOverride bit 0x2 clear, mask bit 0x2 set) but the running kernel has not enabled it: a reboot is pending. Reboot the machine ({kb})."
                : $"This Windows machine runs untrusted code ({context.Untrusted.Reasons}) and {basis}, but Kernel VA Shadowing is not enabled. " +
                  $"Enable it as {kb} describes ({Guidance.EnableBtiAndKvaShadow} under {Guidance.MemoryManagementKey}) and reboot ({Guidance.Azure}).";
        }
        else
        {
            // Enabled, or the class-196 query failed (that is a CHECK_FAILED finding, not a proven need).
            yield break;
        }

        yield return new Finding(
            FindingCode.KvaShadowingRequired,
            Severity.High,
            message,
            Evidence.Of(
                ("kvaShadow", Evidence.Query(windows.KvaShadow, includeSecondWord: false)),
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("cpu", Evidence.Cpu(windows.Cpu)),
                ("registry", Evidence.Registry(windows.Registry)),
                ("needsKvaShadow", basis),
                ("rebootPending", windows.KvaShadow.IsOk && WindowsMitigations.RegistryRequestsKvaShadow(windows.Registry)),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            RemediationAction.KvaShadowing);
    }
}
