using System.Net;
using System.Text;
using System.Text.Json;
using Compliance.Core.Exemptions;
using Compliance.Core.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Server.Tests.Api;

/// <summary>
/// The acceptance of exemptions, end to end through <c>compliance serve</c> (Azurite store, the emulated fleet, the
/// webhook sink to a loopback receiver): a Waiver with an expiry makes its resource Exempt with no action notification;
/// once it expires the action is notified again, exactly once; removing one has the same effect at once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExemptionAcceptanceTests(AzuriteFixture azurite)
{
    private static readonly string _vm = Fleets.VmId("build-1");

    [Fact]
    public async Task Waiver_ExemptsWithoutNotification_ExpiryNotifiesOnce_RemovalNotifiesAtOnce()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("build-1", guest: Fleets.Unpatched())), settings: receiver.WebhookSettings);
        var sweep = app.Services.GetRequiredService<ExemptionSweep>();
        var dispatcher = app.Services.GetRequiredService<NotificationDispatcher>();

        // A Waiver with an expiry, before the machine was ever judged: its first verdict is Exempt, and nothing is sent.
        using (var created = await PutAsync(app, "waiver-1", DateTimeOffset.UtcNow.AddHours(1)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await app.ScanAsync();
        await dispatcher.DispatchAsync(CancellationToken.None);
        var verdict = await app.GetJsonAsync($"api/compliance{_vm}");
        Assert.Equal("Exempt", verdict.GetProperty("resource").GetProperty("status").GetString());
        Assert.Equal("waiver-1", verdict.GetProperty("resource").GetProperty("exemption").GetProperty("id").GetString());
        Assert.Equal(["GuestUpdate"], verdict.GetProperty("resource").GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Empty(ActionMessages(receiver));

        // Shortened to expire in a moment (still Exempt, still silent); once past, the sweep notifies exactly once.
        var expiresOn = DateTimeOffset.UtcNow.AddSeconds(2);
        using (var replaced = await PutAsync(app, "waiver-1", expiresOn))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        Assert.Empty(ActionMessages(receiver));
        while (DateTimeOffset.UtcNow <= expiresOn)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        await sweep.RunAsync(CancellationToken.None);
        await dispatcher.DispatchAsync(CancellationToken.None);
        var expired = Assert.Single(ActionMessages(receiver));
        Assert.Equal(NotificationTypes.GuestUpdateRequired, expired.GetProperty("type").GetString());
        Assert.Equal("exemptionExpired", expired.GetProperty("data").GetProperty("notification").GetProperty("reason").GetString());
        Assert.Equal("expired", expired.GetProperty("data").GetProperty("notification").GetProperty("exemptionEnded").GetString());
        Assert.Equal("waiver-1", expired.GetProperty("data").GetProperty("notification").GetProperty("exemptionId").GetString());

        // Exactly once: another sweep and another scan add nothing.
        await sweep.RunAsync(CancellationToken.None);
        await app.ScanAsync();
        await dispatcher.DispatchAsync(CancellationToken.None);
        Assert.Single(ActionMessages(receiver));
        Assert.Equal("ActionRequired", (await app.GetJsonAsync($"api/compliance{_vm}")).GetProperty("resource").GetProperty("status").GetString());

        // A new exemption silences it again at once; removing it notifies again at once, without a scan or a sweep.
        using (var again = await PutAsync(app, "waiver-2", null))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        Assert.Equal("Exempt", (await app.GetJsonAsync($"api/compliance{_vm}")).GetProperty("resource").GetProperty("status").GetString());
        using (var removed = await app.Http.DeleteAsync(new Uri("api/exemptions/waiver-2", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        await dispatcher.DispatchAsync(CancellationToken.None);
        var messages = ActionMessages(receiver);
        Assert.Equal(2, messages.Count);
        Assert.Equal("removed", messages[1].GetProperty("data").GetProperty("notification").GetProperty("exemptionEnded").GetString());
        Assert.Equal("ActionRequired", (await app.GetJsonAsync($"api/compliance{_vm}")).GetProperty("resource").GetProperty("status").GetString());
        Assert.Equal(messages.Count, messages.Select(m => m.GetProperty("id").GetString()).Distinct().Count());

        // Nothing else was ever announced about the action: no "entered", no "resolved".
        Assert.DoesNotContain(receiver.Notifications, n => n.Event.GetProperty("type").GetString() == NotificationTypes.ActionResolved);
    }

    private static List<JsonElement> ActionMessages(LoopbackReceiver receiver) =>
        receiver.Notifications
            .Where(n => n.Event.GetProperty("type").GetString() == NotificationTypes.GuestUpdateRequired)
            .Select(n => n.Event)
            .ToList();

    private static Task<HttpResponseMessage> PutAsync(AppUnderTest app, string id, DateTimeOffset? expiresOn) =>
        app.Http.PutAsync(
            new Uri($"api/exemptions/{id}", UriKind.Relative),
            new StringContent(
                JsonSerializer.Serialize(new { scope = _vm, category = "Waiver", actions = new[] { "GuestUpdate" }, expiresOn, justification = "build agent, isolated; replaced next quarter" }),
                Encoding.UTF8,
                "application/json"));
}
