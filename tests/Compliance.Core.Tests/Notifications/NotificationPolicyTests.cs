using System.Text.Json;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Tests.Notifications;

public sealed class NotificationPolicyTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly NotificationPolicy _policy = new(Options.Create(new NotificationOptions { ReminderInterval = TimeSpan.FromDays(7) }));

    internal static ReportResource Verdict(string status, DateTimeOffset at, params string[] actions) => new(
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1",
        "VirtualMachine",
        "vm-1",
        "Windows",
        status,
        actions,
        [],
        "11111111-1111-1111-1111-111111111111",
        "rg",
        "westeurope",
        at);

    [Fact]
    public void Decide_EntersActions_OneMessagePerAction()
    {
        var decision = _policy.Decide(Verdict("ActionRequired", _t0, "GuestUpdate", "KvaShadowing"), []);

        Assert.Equal([NotificationTypes.GuestUpdateRequired, NotificationTypes.KvaShadowingRequired], decision.Messages.Select(m => m.Type));
        Assert.Equal([new OpenAction("GuestUpdate", _t0), new OpenAction("KvaShadowing", _t0)], decision.OpenActions);
        var message = decision.Messages[0];
        Assert.Equal(Verdict("ActionRequired", _t0).Id, message.Subject);
        Assert.Equal(_t0, message.Time);
        using var data = JsonDocument.Parse(message.DataJson);
        Assert.Equal("ActionRequired", data.RootElement.GetProperty("status").GetString());
        Assert.Equal("entered", data.RootElement.GetProperty("notification").GetProperty("reason").GetString());
        Assert.Equal("GuestUpdate", data.RootElement.GetProperty("notification").GetProperty("action").GetString());
    }

    [Fact]
    public void Decide_StillNeededWithinTheInterval_Nothing()
    {
        var decision = _policy.Decide(Verdict("ActionRequired", _t0.AddDays(6), "GuestUpdate"), [new OpenAction("GuestUpdate", _t0)]);

        Assert.Empty(decision.Messages);
        Assert.Equal([new OpenAction("GuestUpdate", _t0)], decision.OpenActions);
    }

    [Fact]
    public void Decide_StillNeededAfterTheInterval_OneReminder()
    {
        var decision = _policy.Decide(Verdict("ActionRequired", _t0.AddDays(7), "GuestUpdate"), [new OpenAction("GuestUpdate", _t0)]);

        var reminder = Assert.Single(decision.Messages);
        Assert.Equal(NotificationTypes.GuestUpdateRequired, reminder.Type);
        Assert.Contains("\"reason\":\"reminder\"", reminder.DataJson, StringComparison.Ordinal);
        Assert.Equal([new OpenAction("GuestUpdate", _t0.AddDays(7))], decision.OpenActions);
    }

    [Fact]
    public void Decide_NoLongerNeeded_ActionResolved()
    {
        var decision = _policy.Decide(Verdict("Compliant", _t0.AddDays(1)), [new OpenAction("KvaShadowing", _t0)]);

        var resolved = Assert.Single(decision.Messages);
        Assert.Equal(NotificationTypes.ActionResolved, resolved.Type);
        Assert.Contains("\"action\":\"KvaShadowing\"", resolved.DataJson, StringComparison.Ordinal);
        Assert.Empty(decision.OpenActions);
    }

    [Fact]
    public void Decide_OneOfTwoResolved_KeepsTheOther()
    {
        var open = new[] { new OpenAction("GuestUpdate", _t0), new OpenAction("KvaShadowing", _t0) };

        var decision = _policy.Decide(Verdict("ActionRequired", _t0.AddDays(1), "KvaShadowing"), open);

        Assert.Equal(NotificationTypes.ActionResolved, Assert.Single(decision.Messages).Type);
        Assert.Equal([new OpenAction("KvaShadowing", _t0)], decision.OpenActions);
    }

    [Fact]
    public void Decide_Unknown_ChangesNothing()
    {
        var open = new[] { new OpenAction("GuestUpdate", _t0) };

        var decision = _policy.Decide(Verdict("Unknown", _t0.AddDays(30)), open);

        Assert.Empty(decision.Messages);
        Assert.Equal(open, decision.OpenActions);
    }

    [Fact]
    public void Decide_SameTransition_SameId()
    {
        var first = _policy.Decide(Verdict("ActionRequired", _t0, "GuestUpdate"), []).Messages.Single();
        var again = _policy.Decide(Verdict("ActionRequired", _t0, "GuestUpdate"), []).Messages.Single();
        var later = _policy.Decide(Verdict("ActionRequired", _t0.AddDays(1), "GuestUpdate"), []).Messages.Single();

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, later.Id);
        Assert.True(Guid.TryParse(first.Id, out _));
    }

    [Fact]
    public void Digest_IsOnePerScan()
    {
        var scan = new ScanRecord("scan-1", _t0, _t0.AddMinutes(5), ComplianceReportBuilder.Summarize([]), 10, 2, [], null);

        var digest = NotificationPolicy.Digest(scan);

        Assert.Equal(NotificationTypes.ScanCompleted, digest.Type);
        Assert.Equal("/scans/scan-1", digest.Subject);
        Assert.Equal(NotificationPolicy.Digest(scan).Id, digest.Id);
        using var data = JsonDocument.Parse(digest.DataJson);
        Assert.Equal(10, data.RootElement.GetProperty("recorded").GetInt32());
        Assert.Equal(0, data.RootElement.GetProperty("summary").GetProperty("total").GetInt32());
    }
}
