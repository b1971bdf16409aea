namespace Compliance.Core.Storage;

/// <summary>
/// The port to named leases, held by one instance at a time. Time is the caller's: the store compares the times it is
/// given, never its own clock.
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Takes the lease <paramref name="name"/> until <paramref name="expiresAt"/> when nobody holds it or its holder's
    /// time ran out at <paramref name="now"/>; <see langword="null"/> when someone else holds it. Work that must not run
    /// twice at the same time on any instance (delivering the outbox) runs under one.
    /// </summary>
    Task<StoreLease?> TryAcquireLeaseAsync(string name, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Extends a lease still held to <paramref name="expiresAt"/>; <see langword="null"/> when it is no longer ours
    /// (it ran out and another holder took it, or it was given back).
    /// </summary>
    Task<StoreLease?> RenewLeaseAsync(StoreLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Gives a lease back; when its time ran out and another holder took it, the other holder keeps it.</summary>
    Task ReleaseLeaseAsync(StoreLease lease, CancellationToken cancellationToken);

    /// <summary>Removes leases whose time ran out before <paramref name="expiredBefore"/>; how many went.</summary>
    Task<int> PruneAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken);
}
