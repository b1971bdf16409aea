using System.Text.Json;
using Compliance.Core.Exemptions;
using Compliance.Core.Notifications;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Compliance.Core.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Core.Tests.Exemptions.ExemptionSamples;

namespace Compliance.Core.Tests.Exemptions;

/// <summary>
/// Exemptions through the recorder, the policy, the sweep and the dispatcher, in memory and on a fake clock: what is
/// notified, once, when an exemption starts, expires or is removed.
/// </summary>
public sealed class ExemptionLifecycleTests
{
    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryVerdictStore _verdicts = new();
    private readonly InMemoryExemptionStore _exemptions = new();
    private readonly RecordingSink _sink = new();
    private readonly ComplianceRecorder _recorder;
    private readonly ExemptionSweep _sweep;
    private readonly ExemptionService _service;

    public ExemptionLifecycleTests()
    {
        _recorder = new ComplianceRecorder(_verdicts, new NotificationPolicy(Options.Create(new NotificationOptions())), [_sink], NullLogger<ComplianceRecorder>.Instance, _exemptions, _time);
        var dispatcher = new NotificationDispatcher(_verdicts, new InMemoryScanLedger(), new InMemoryLeaseStore(), [_sink], _time, NullLogger<NotificationDispatcher>.Instance, exemptions: _exemptions);
        _sweep = new ExemptionSweep(_exemptions, _verdicts, _recorder, dispatcher, [_sink], Options.Create(new ExemptionOptions()), _time, NullLogger<ExemptionSweep>.Instance);
        _service = new ExemptionService(_exemptions, _sweep, _time, NullLogger<ExemptionService>.Instance);
    }

    private async Task ScanAsync(string scanId)
    {
        await _recorder.RecordAsync([NeedsUpdate(_time.GetUtcNow())], scanId, CancellationToken.None);
        await _sweep.DeliverAsync(CancellationToken.None);
    }

    private async Task<ExemptionPutResult> WaiveAsync(DateTimeOffset? expiresOn) =>
        await _service.PutAsync("w1", Request(Rg("rg1"), ["GuestUpdate"], expiresOn: expiresOn), "tester", null, CancellationToken.None);

    private List<NotificationMessage> Required() => _sink.Received.Where(m => m.Type == NotificationTypes.GuestUpdateRequired).ToList();

    private static string Reason(NotificationMessage message) =>
        JsonDocument.Parse(message.DataJson).RootElement.GetProperty("notification").GetProperty("reason").GetString()!;

    private static string Ended(NotificationMessage message) =>
        JsonDocument.Parse(message.DataJson).RootElement.GetProperty("notification").GetProperty("exemptionEnded").GetString()!;

    [Fact]
    public async Task Waiver_WithExpiry_MakesExempt_WithoutActionNotification_ThenExpiryNotifiesOnce()
    {
        Assert.Equal(ExemptionOutcome.Created, (await WaiveAsync(T0.AddDays(30))).Outcome);
        await ScanAsync("scan-1");

        var state = Assert.Single(_verdicts.States).State;
        Assert.Equal("Exempt", state.Verdict.Status);
        Assert.Equal("w1", state.Verdict.Exemption!.Id);
        Assert.Equal(["GuestUpdate"], state.Verdict.Actions);
        Assert.Empty(Required());

        // A scan while exempt: still nothing.
        _time.Advance(TimeSpan.FromDays(8));
        await ScanAsync("scan-2");
        Assert.Empty(Required());

        // Past expiry, the sweep re-applies: one message, reason exemptionExpired.
        _time.Advance(TimeSpan.FromDays(23));
        await _sweep.RunAsync(CancellationToken.None);
        var message = Assert.Single(Required());
        Assert.Equal("exemptionExpired", Reason(message));
        Assert.Equal("expired", Ended(message));
        Assert.Equal("ActionRequired", Assert.Single(_verdicts.States).State.Verdict.Status);

        // A second sweep and a later scan add none.
        await _sweep.RunAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(6));
        await ScanAsync("scan-3");
        Assert.Single(Required());

        var history = _verdicts.History.Where(h => h.ToStatus != h.FromStatus).Select(h => (h.FromStatus, h.ToStatus, h.ScanId)).ToList();
        Assert.Contains((null, "Exempt", "scan-1"), history);
        Assert.Contains(("Exempt", "ActionRequired", "exemption:w1"), history);
        var changes = new List<ExemptionChange>();
        await foreach (var entry in _exemptions.GetHistoryAsync("w1", CancellationToken.None))
        {
            changes.Add(entry.Change);
        }

        Assert.Equal([ExemptionChange.Expired, ExemptionChange.Created], changes);
    }

    [Fact]
    public async Task Removal_NotifiesOnceAtOnce_AndALaterScanAddsNone()
    {
        await ScanAsync("scan-1");
        Assert.Equal("entered", Reason(Assert.Single(Required())));

        await WaiveAsync(expiresOn: null);
        Assert.Equal("Exempt", Assert.Single(_verdicts.States).State.Verdict.Status);
        _time.Advance(TimeSpan.FromDays(8));
        await ScanAsync("scan-2");
        Assert.Single(Required());

        Assert.Equal(ExemptionOutcome.Removed, await _service.DeleteAsync("w1", "tester", null, CancellationToken.None));
        Assert.Equal(2, Required().Count);
        Assert.Equal("exemptionExpired", Reason(Required()[1]));
        Assert.Equal("removed", Ended(Required()[1]));

        _time.Advance(TimeSpan.FromHours(1));
        await ScanAsync("scan-3");
        await _sweep.RunAsync(CancellationToken.None);
        Assert.Equal(2, Required().Count);
        Assert.Equal(ExemptionOutcome.NotFound, await _service.DeleteAsync("w1", "tester", null, CancellationToken.None));
    }

    [Fact]
    public async Task ResolvedWhileExempt_AnnouncedOnlyIfItHadBeenAnnounced()
    {
        // Announced, then exempt, then fixed: resolved is published.
        await ScanAsync("scan-1");
        await WaiveAsync(expiresOn: null);
        _time.Advance(TimeSpan.FromHours(1));
        await _recorder.RecordAsync([Verdict(Vm(), "Compliant", _time.GetUtcNow())], "scan-2", CancellationToken.None);
        await _sweep.DeliverAsync(CancellationToken.None);
        Assert.Single(_sink.Received, m => m.Type == NotificationTypes.ActionResolved);

        // Exempt from the start, then fixed: nothing at all.
        var other = Vm("rg1", "vm-2");
        await _recorder.RecordAsync([NeedsUpdate(_time.GetUtcNow(), other)], "scan-3", CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        await _recorder.RecordAsync([Verdict(other, "Compliant", _time.GetUtcNow())], "scan-4", CancellationToken.None);
        await _sweep.DeliverAsync(CancellationToken.None);
        Assert.DoesNotContain(_sink.Received, m => m.Subject == other);
    }

    [Fact]
    public async Task Unknown_StaysUnknown_AndKeepsTheExemptionsOpenActions()
    {
        await WaiveAsync(T0.AddDays(30));
        await ScanAsync("scan-1");
        _time.Advance(TimeSpan.FromHours(1));

        await _recorder.RecordAsync([Verdict(Vm(), "Unknown", _time.GetUtcNow(), Finding("CHECK_FAILED", null))], "scan-2", CancellationToken.None);

        var state = Assert.Single(_verdicts.States).State;
        Assert.Equal("Unknown", state.Verdict.Status);
        Assert.True(Assert.Single(state.OpenActions).Exempted);
        Assert.Equal("Exempt", state.LastKnown!.Status);
    }

    [Fact]
    public async Task ExpiringNotice_PublishedOncePerExpiry_WithTheNumberOfExemptResources()
    {
        await WaiveAsync(T0.AddDays(10));
        await ScanAsync("scan-1");

        await _sweep.RunAsync(CancellationToken.None);
        Assert.DoesNotContain(_sink.Received, m => m.Type == NotificationTypes.ExemptionExpiring);

        _time.Advance(TimeSpan.FromDays(4));
        await _sweep.RunAsync(CancellationToken.None);
        await _sweep.RunAsync(CancellationToken.None);
        var notice = Assert.Single(_sink.Received, m => m.Type == NotificationTypes.ExemptionExpiring);
        Assert.Equal("/exemptions/w1", notice.Subject);
        var data = JsonDocument.Parse(notice.DataJson).RootElement;
        Assert.Equal(1, data.GetProperty("exemptResources").GetInt32());
        Assert.Equal("w1", data.GetProperty("exemption").GetProperty("id").GetString());
        Assert.Null((await _exemptions.GetAsync("w1", CancellationToken.None))!.Notice);

        // Extended: a new expiry is a new notice, once.
        await _service.PutAsync("w1", Request(Rg("rg1"), ["GuestUpdate"], expiresOn: T0.AddDays(9)), "tester", null, CancellationToken.None);
        await _sweep.RunAsync(CancellationToken.None);
        await _sweep.RunAsync(CancellationToken.None);
        Assert.Equal(2, _sink.Received.Count(m => m.Type == NotificationTypes.ExemptionExpiring));
    }

    [Fact]
    public async Task TwoSweepsRacing_OverTheSameExpiry_PublishItOnce()
    {
        await WaiveAsync(T0.AddDays(1));
        await ScanAsync("scan-1");
        _time.Advance(TimeSpan.FromDays(2));

        // Sweep A reads, then sweep B does all its work before A writes: A's conditional write loses, A re-reads and
        // finds nothing left to do.
        var intercepted = new InterceptedVerdictStore(_verdicts);
        var recorderA = new ComplianceRecorder(intercepted, new NotificationPolicy(Options.Create(new NotificationOptions())), [_sink], NullLogger<ComplianceRecorder>.Instance, _exemptions, _time);
        var interfered = false;
        intercepted.BeforeWrite = async _ =>
        {
            if (!interfered)
            {
                interfered = true;
                Assert.Equal(1, await _recorder.ReapplyAsync([Vm()], "exemption:w1", CancellationToken.None));
            }
        };

        var changedByA = await recorderA.ReapplyAsync([Vm()], "exemption:w1", CancellationToken.None);
        await _sweep.DeliverAsync(CancellationToken.None);

        Assert.True(interfered);
        Assert.Equal(0, changedByA);
        Assert.Equal("exemptionExpired", Reason(Assert.Single(Required())));
        Assert.Single(_verdicts.History, h => h.FromStatus == "Exempt" && h.ToStatus == "ActionRequired");
    }

    [Fact]
    public async Task Put_NarrowedScope_ReappliesTheOldScopeToo()
    {
        await WaiveAsync(expiresOn: null);
        await ScanAsync("scan-1");
        Assert.Equal("Exempt", Assert.Single(_verdicts.States).State.Verdict.Status);

        var result = await _service.PutAsync("w1", Request(Vm("rg1", "vm-9"), ["GuestUpdate"]), "other", null, CancellationToken.None);

        Assert.Equal(ExemptionOutcome.Replaced, result.Outcome);
        Assert.Equal("tester", result.Exemption!.CreatedBy);
        Assert.Equal("other", result.Exemption.UpdatedBy);
        Assert.Equal("ActionRequired", Assert.Single(_verdicts.States).State.Verdict.Status);
        Assert.Equal("removed", Ended(Assert.Single(Required())));
    }

    [Fact]
    public async Task Put_IfMatch_StaleVersionIsRefused()
    {
        var first = await WaiveAsync(expiresOn: null);
        await _service.PutAsync("w1", Request(Rg("rg1"), ["GuestUpdate"], justification: "second"), "tester", first.ETag, CancellationToken.None);

        var stale = await _service.PutAsync("w1", Request(Rg("rg1"), ["GuestUpdate"], justification: "third"), "tester", first.ETag, CancellationToken.None);

        Assert.Equal(ExemptionOutcome.PreconditionFailed, stale.Outcome);
        Assert.Equal("second", (await _exemptions.GetAsync("w1", CancellationToken.None))!.Exemption.Justification);
    }
}
