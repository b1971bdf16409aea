using Compliance.Core.Exemptions;
using Compliance.Core.Notifications;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// What every <see cref="IExemptionStore"/> does, run against the Table store on Azurite and against the one in memory:
/// conditional writes by version, removal, idempotent history that outlives the exemption.
/// </summary>
public abstract class ExemptionStoreContract
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);

    /// <summary>The store under test; every instance it returns sees the same data.</summary>
    protected abstract IExemptionStore Store { get; }

    private static Exemption Sample(string id, string justification = "accepted: isolated build host") => new(
        id,
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1",
        ExemptionCategory.Waiver,
        ["GuestUpdate"],
        ["GUEST_UPDATE_MISSING"],
        _t0.AddDays(30),
        justification,
        "api-key:operator",
        _t0,
        "api-key:operator",
        _t0);

    [Fact]
    public async Task Put_New_IsReadBackWhole()
    {
        var etag = await Store.TryPutAsync(Sample("waiver-1"), notice: null, expectedETag: null, CancellationToken.None);

        var read = await Store.GetAsync("waiver-1", CancellationToken.None);
        Assert.NotNull(etag);
        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal(Sample("waiver-1").Scope, read.Exemption.Scope);
        Assert.Equal(ExemptionCategory.Waiver, read.Exemption.Category);
        Assert.Equal(["GuestUpdate"], read.Exemption.Actions);
        Assert.Equal(["GUEST_UPDATE_MISSING"], read.Exemption.FindingCodes);
        Assert.Equal(_t0.AddDays(30), read.Exemption.ExpiresOn);
        Assert.Equal("accepted: isolated build host", read.Exemption.Justification);
        Assert.Null(read.Notice);
    }

    [Fact]
    public async Task Put_ExistingWithoutItsVersion_IsRefused()
    {
        var first = await Store.TryPutAsync(Sample("w"), null, null, CancellationToken.None);

        var again = await Store.TryPutAsync(Sample("w", "second"), null, null, CancellationToken.None);
        var stale = await Store.TryPutAsync(Sample("w", "third"), null, "W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\"", CancellationToken.None);
        var current = await Store.TryPutAsync(Sample("w", "fourth"), null, first, CancellationToken.None);

        Assert.Null(again);
        Assert.Null(stale);
        Assert.NotNull(current);
        Assert.NotEqual(first, current);
        Assert.Equal("fourth", (await Store.GetAsync("w", CancellationToken.None))!.Exemption.Justification);
    }

    [Fact]
    public async Task Put_WithNotice_KeepsItUntilReplacedWithout()
    {
        var message = new NotificationMessage("id-1", NotificationTypes.ExemptionExpiring, "/exemptions/w", _t0, "{\"a\":1}");
        var etag = await Store.TryPutAsync(Sample("w") with { ExpiringNotifiedFor = _t0.AddDays(30) }, new PendingNotification(message, ["webhook"]), null, CancellationToken.None);

        var read = await Store.GetAsync("w", CancellationToken.None);
        Assert.Equal("id-1", read!.Notice!.Message.Id);
        Assert.Equal(["webhook"], read.Notice.PendingSinks);
        Assert.Equal(_t0.AddDays(30), read.Exemption.ExpiringNotifiedFor);

        await Store.TryPutAsync(read.Exemption, null, etag, CancellationToken.None);
        Assert.Null((await Store.GetAsync("w", CancellationToken.None))!.Notice);
    }

    [Fact]
    public async Task List_HoldsEveryExemption()
    {
        await Store.TryPutAsync(Sample("b"), null, null, CancellationToken.None);
        await Store.TryPutAsync(Sample("a.1"), null, null, CancellationToken.None);
        await Store.TryPutAsync(Sample("C_2"), null, null, CancellationToken.None);

        var ids = new List<string>();
        await foreach (var stored in Store.ListAsync(CancellationToken.None))
        {
            ids.Add(stored.Exemption.Id);
        }

        Assert.Equal(["C_2", "a.1", "b"], ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delete_RemovesOnlyAtItsVersion_AndSaysWhenThereWasNone()
    {
        var etag = await Store.TryPutAsync(Sample("w"), null, null, CancellationToken.None);
        await Store.TryPutAsync(Sample("w", "changed"), null, etag, CancellationToken.None);

        Assert.False(await Store.TryDeleteAsync("w", etag, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync("w", CancellationToken.None));
        Assert.True(await Store.TryDeleteAsync("w", null, CancellationToken.None));
        Assert.Null(await Store.GetAsync("w", CancellationToken.None));
        Assert.False(await Store.TryDeleteAsync("w", null, CancellationToken.None));
        Assert.False(await Store.TryDeleteAsync("never", null, CancellationToken.None));
    }

    [Fact]
    public async Task History_IsNewestFirst_Idempotent_AndOutlivesTheExemption()
    {
        var exemption = Sample("w");
        await Store.TryPutAsync(exemption, null, null, CancellationToken.None);
        await Store.AppendHistoryAsync(new ExemptionHistoryEntry("w", _t0, ExemptionChange.Created, "api-key:operator", exemption), CancellationToken.None);
        await Store.AppendHistoryAsync(new ExemptionHistoryEntry("w", _t0.AddDays(30), ExemptionChange.Expired, "system", exemption), CancellationToken.None);
        await Store.AppendHistoryAsync(new ExemptionHistoryEntry("w", _t0.AddDays(30), ExemptionChange.Expired, "system", exemption), CancellationToken.None);
        await Store.AppendHistoryAsync(new ExemptionHistoryEntry("other", _t0, ExemptionChange.Created, "x", Sample("other")), CancellationToken.None);
        await Store.TryDeleteAsync("w", null, CancellationToken.None);
        await Store.AppendHistoryAsync(new ExemptionHistoryEntry("w", _t0.AddDays(31), ExemptionChange.Removed, "cli:ops", exemption), CancellationToken.None);

        var history = new List<ExemptionHistoryEntry>();
        await foreach (var entry in Store.GetHistoryAsync("w", CancellationToken.None))
        {
            history.Add(entry);
        }

        Assert.Equal([ExemptionChange.Removed, ExemptionChange.Expired, ExemptionChange.Created], history.Select(h => h.Change));
        Assert.Equal("cli:ops", history[0].By);
        Assert.Equal("accepted: isolated build host", history[2].Exemption.Justification);
    }

    [Fact]
    public async Task Get_UnknownOrInvalidId_IsNone()
    {
        Assert.Null(await Store.GetAsync("nothing", CancellationToken.None));
        Assert.Null(await Store.GetAsync("' or PartitionKey ne '", CancellationToken.None));
    }
}
