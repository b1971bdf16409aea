namespace Compliance.Core.Rules;

/// <summary>
/// <c>ANTIVIRUS_COMPAT_KEY_MISSING</c>: Windows without the January 2018 update and without the QualityCompat value.
/// The updates of January to March 2018 were offered only once an antivirus had set it. Never raised when the update
/// is present: the gate was dropped in 2018, so a missing value on a patched machine means nothing.
/// </summary>
public sealed class AntivirusCompatKeyMissingRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { } windows
            || !WindowsMitigations.LacksJanuary2018Update(windows)
            || windows.Registry.QualityCompat is not null)
        {
            yield break;
        }

        var message =
            $"The January 2018 update is missing and the antivirus compatibility value ({Guidance.QualityCompatValue}) is not set: " +
            "Windows Update withheld the updates of that era until a compatible antivirus set it. Confirm the antivirus supports the update " +
            $"(the {Guidance.Azure} asks to verify this before installing), or install an update from April 2018 or later, which no longer needs the value.";

        yield return new Finding(
            FindingCode.AntivirusCompatKeyMissing,
            Severity.Medium,
            message,
            Evidence.Of(
                ("qualityCompat", windows.Registry.QualityCompat),
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("kvaShadow", Evidence.Query(windows.KvaShadow, includeSecondWord: false))));
    }
}
