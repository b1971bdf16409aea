using Compliance.Core.Notifications;
using Compliance.Core.Storage;

namespace Compliance.Core.Scanning;

/// <summary>What ending a scan did.</summary>
/// <param name="Finished">The finished scan record; <see langword="null"/> when this caller did not finish it (it is not over yet, or someone else finished it).</param>
/// <param name="Dispatched">What delivering the notifications did, for the caller that finished it.</param>
public sealed record ScanEnd(ScanRecord? Finished, DispatchOutcome Dispatched)
{
    /// <summary>Not finished by this caller.</summary>
    public static ScanEnd NotYet { get; } = new(null, new DispatchOutcome(0, 0));
}
