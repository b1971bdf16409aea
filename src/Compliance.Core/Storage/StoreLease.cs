namespace Compliance.Core.Storage;

/// <summary>A lease held in the store (<see cref="ILeaseStore.TryAcquireLeaseAsync"/>): its name, the version that proves it is still ours, and when it runs out.</summary>
public sealed record StoreLease(string Name, string ETag, DateTimeOffset ExpiresAt);
