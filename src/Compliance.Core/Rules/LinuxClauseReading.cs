namespace Compliance.Core.Rules;

/// <summary>One clause of a vulnerabilities file and what the table says of it.</summary>
/// <param name="Text">The clause as the kernel printed it (blanks normalised).</param>
/// <param name="Kind">What it says; <see cref="LinuxStateKind.Unrecognised"/> when the table does not know it.</param>
/// <param name="Cause">Why it is not a full mitigation, when it is not.</param>
/// <param name="Source">Where the wording comes from; <c>null</c> when unrecognised.</param>
/// <param name="Parameters">The boot parameters that lead to this state.</param>
/// <param name="Remedy">A remedy of its own, when the cause's usual one does not fit.</param>
public sealed record LinuxClauseReading(
    string Text,
    LinuxStateKind Kind,
    LinuxStateCause Cause,
    string? Source,
    IReadOnlyList<string> Parameters,
    string? Remedy = null)
{
    /// <summary>A clause the table does not know.</summary>
    public static LinuxClauseReading Unrecognised(string text) => new(text, LinuxStateKind.Unrecognised, LinuxStateCause.None, Source: null, []);

    /// <summary>A clause that is <paramref name="state"/>.</summary>
    public static LinuxClauseReading Of(string text, LinuxKnownState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(text, state.Kind, state.Cause, state.Source, state.Parameters ?? [], state.Remedy);
    }
}
