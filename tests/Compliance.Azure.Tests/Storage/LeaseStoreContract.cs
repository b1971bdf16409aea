using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// What every <see cref="ILeaseStore"/> does, run against the Table store on Azurite and against the one in memory, so
/// that the tests that use the one in memory see what production sees.
/// </summary>
public abstract class LeaseStoreContract
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);

    /// <summary>The leases under test; every instance it returns sees the same data.</summary>
    protected abstract ILeaseStore Leases { get; }

    [Fact]
    public async Task RenewLease_ExtendsOnlyTheHoldersVersion()
    {
        var held = await Leases.TryAcquireLeaseAsync("renewed", _t0, _t0.AddMinutes(1), CancellationToken.None);
        var renewed = await Leases.RenewLeaseAsync(held!, _t0.AddMinutes(3), CancellationToken.None);
        var stillHeld = await Leases.TryAcquireLeaseAsync("renewed", _t0.AddMinutes(2), _t0.AddMinutes(4), CancellationToken.None);
        var staleRenewal = await Leases.RenewLeaseAsync(held!, _t0.AddMinutes(5), CancellationToken.None);
        var takenOver = await Leases.TryAcquireLeaseAsync("renewed", _t0.AddMinutes(4), _t0.AddMinutes(6), CancellationToken.None);
        var renewalAfterTakeover = await Leases.RenewLeaseAsync(renewed!, _t0.AddMinutes(7), CancellationToken.None);
        await Leases.ReleaseLeaseAsync(takenOver!, CancellationToken.None);
        var renewalAfterRelease = await Leases.RenewLeaseAsync(takenOver!, _t0.AddMinutes(8), CancellationToken.None);

        Assert.NotNull(renewed);
        Assert.Equal(_t0.AddMinutes(3), renewed!.ExpiresAt);
        Assert.Equal("renewed", renewed.Name);
        Assert.NotEqual(held!.ETag, renewed.ETag);
        Assert.Null(stillHeld);
        Assert.Null(staleRenewal);
        Assert.NotNull(takenOver);
        Assert.Null(renewalAfterTakeover);
        Assert.Null(renewalAfterRelease);
    }

    [Fact]
    public async Task Leases_OneHolderAtATime_FreedByReleaseOrByRunningOut()
    {
        var first = await Leases.TryAcquireLeaseAsync("dispatch", _t0, _t0.AddMinutes(5), CancellationToken.None);
        var whileHeld = await Leases.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(1), _t0.AddMinutes(6), CancellationToken.None);
        var otherName = await Leases.TryAcquireLeaseAsync("other", _t0, _t0.AddMinutes(5), CancellationToken.None);
        await Leases.ReleaseLeaseAsync(first!, CancellationToken.None);
        var afterRelease = await Leases.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(1), _t0.AddMinutes(6), CancellationToken.None);
        var afterRunningOut = await Leases.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(7), _t0.AddMinutes(12), CancellationToken.None);

        // The holder whose lease ran out cannot delete its successor's.
        await Leases.ReleaseLeaseAsync(afterRelease!, CancellationToken.None);
        var whileSuccessorHolds = await Leases.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(8), _t0.AddMinutes(13), CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(("dispatch", _t0.AddMinutes(5)), (first!.Name, first.ExpiresAt));
        Assert.Null(whileHeld);
        Assert.NotNull(otherName);
        Assert.NotNull(afterRelease);
        Assert.NotNull(afterRunningOut);
        Assert.Null(whileSuccessorHolds);
        Assert.NotEqual(afterRelease!.ETag, afterRunningOut!.ETag);
    }

    [Fact]
    public async Task TryAcquireLease_TheMomentTheHoldersTimeRunsOut_IsTaken()
    {
        await Leases.TryAcquireLeaseAsync("dispatch", _t0, _t0.AddMinutes(5), CancellationToken.None);

        var justBefore = await Leases.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(5).AddMilliseconds(-1), _t0.AddMinutes(6), CancellationToken.None);
        var atTheMoment = await Leases.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(5), _t0.AddMinutes(6), CancellationToken.None);

        Assert.Null(justBefore);
        Assert.NotNull(atTheMoment);
    }

    [Fact]
    public async Task TryAcquireLease_ManyAtOnce_ExactlyOneHolds()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Leases.TryAcquireLeaseAsync("dispatch", _t0, _t0.AddMinutes(1), CancellationToken.None))));

        Assert.Single(results, lease => lease is not null);
    }

    [Fact]
    public async Task Prune_RemovesOnlyLeasesThatRanOutBeforeTheCutoff()
    {
        var old = await Leases.TryAcquireLeaseAsync("old", _t0, _t0.AddMinutes(1), CancellationToken.None);
        await Leases.TryAcquireLeaseAsync("held", _t0, _t0.AddDays(40), CancellationToken.None);

        var removed = await Leases.PruneAsync(_t0.AddDays(30), CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Null(await Leases.RenewLeaseAsync(old!, _t0.AddDays(31), CancellationToken.None));
        Assert.Null(await Leases.TryAcquireLeaseAsync("held", _t0.AddDays(31), _t0.AddDays(32), CancellationToken.None));
        Assert.NotNull(await Leases.TryAcquireLeaseAsync("old", _t0.AddDays(31), _t0.AddDays(32), CancellationToken.None));
    }
}
