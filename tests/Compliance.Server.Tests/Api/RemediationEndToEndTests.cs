using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Server.Tests.Api;

/// <summary>
/// The acceptance on the emulator, through <c>compliance serve</c>'s API and queue consumer: a plan for the
/// machines needing <c>GuestUpdate</c> is proposed and nothing runs; approval runs <c>installPatches</c> once per
/// machine, each machine is checked again, the fixed ones turn Compliant with <c>Compliance.ActionResolved</c> published
/// once each; the machine whose installation fails keeps its verdict and the plan says why.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RemediationEndToEndTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task GuestUpdatePlan_NothingBeforeApproval_ThenFixedMachinesTurnCompliantOnce_AndTheFailingOneKeepsItsVerdict()
    {
        await using var notifications = await LoopbackReceiver.StartAsync();
        var fixedA = Fleets.Vm("web-1", guest: Fleets.Unpatched());
        fixedA["installPatches"] = new JsonObject { ["patchedGuest"] = Fleets.Patched() };
        var fixedB = Fleets.Vm("web-2", guest: Fleets.Unpatched());
        fixedB["installPatches"] = new JsonObject { ["patchedGuest"] = Fleets.Patched() };
        var failing = Fleets.Vm("web-3", guest: Fleets.Unpatched());
        failing["installPatches"] = new JsonObject { ["failure"] = "failed", ["errorCode"] = "PatchInstallationFailed", ["errorMessage"] = "0x80240022 on the emulated update" };
        var settings = new Dictionary<string, string?>(notifications.WebhookSettings)
        {
            ["Compliance:Remediation:Enabled"] = "true",
            ["Compliance:Remediation:VerifyDelay"] = "00:00:00",
        };
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(fixedA, fixedB, failing, Fleets.Vm("ok-1")), settings: settings);
        await app.ScanAsync();
        var ids = new[] { Fleets.VmId("web-1"), Fleets.VmId("web-2"), Fleets.VmId("web-3") };
        foreach (var id in ids)
        {
            Assert.Equal("ActionRequired", (await app.Verdicts.GetStateAsync(id, default))!.State.Verdict.Status);
        }

        var failingBefore = (await app.Verdicts.GetStateAsync(Fleets.VmId("web-3"), default))!.State.Verdict;

        using var proposed = await app.Http.PostAsync("api/remediations", Json("""{"action":"GuestUpdate","maximumDuration":"PT1H"}"""));
        var proposedText = await proposed.Content.ReadAsStringAsync();
        Assert.True(proposed.StatusCode == HttpStatusCode.Created, proposedText);
        var view = JsonDocument.Parse(proposedText).RootElement;
        var planId = view.GetProperty("plan").GetProperty("id").GetString()!;
        Assert.Equal(ids.Order(StringComparer.OrdinalIgnoreCase), view.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("resourceId").GetString()!));
        Assert.True(TimeSpan.Parse(view.GetProperty("plan").GetProperty("expectedDuration").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= TimeSpan.FromHours(1));

        // Proposed: nothing runs, however long one waits for the consumer.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(app.Emulator.InstallPatches);

        using var approved = await app.Http.PostAsync($"api/remediations/{planId}/approve", null);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        JsonElement plan = default;
        await Eventually.HoldsAsync(
            async () =>
            {
                plan = await app.GetJsonAsync($"api/remediations/{planId}");
                return plan.GetProperty("plan").GetProperty("state").GetString() == "Completed";
            },
            _timeout,
            "the plan to complete");

        // One installPatches per machine, with the plan's parameters; no request was throttled.
        Assert.Equal(ids.Order(StringComparer.OrdinalIgnoreCase), app.Emulator.InstallPatches.Select(p => p.ResourceId).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.All(app.Emulator.InstallPatches, p =>
        {
            Assert.Equal("IfRequired", p.RebootSetting);
            Assert.Equal("PT1H", p.MaximumDuration);
        });
        Assert.Equal(0, app.Emulator.Throttled);

        var steps = plan.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("resourceId").GetString()!, StringComparer.OrdinalIgnoreCase);
        foreach (var id in ids[..2])
        {
            Assert.Equal("Succeeded", steps[id].GetProperty("status").GetString());
            Assert.Equal("Compliant", steps[id].GetProperty("verification").GetProperty("status").GetString());
            Assert.Equal("Compliant", (await app.Verdicts.GetStateAsync(id, default))!.State.Verdict.Status);
        }

        var bad = steps[ids[2]];
        Assert.Equal("Failed", bad.GetProperty("status").GetString());
        Assert.Contains("0x80240022", bad.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var failingAfter = (await app.Verdicts.GetStateAsync(ids[2], default))!.State.Verdict;
        Assert.Equal("ActionRequired", failingAfter.Status);
        Assert.Equal(failingBefore.Actions, failingAfter.Actions);
        var counts = plan.GetProperty("plan").GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, counts.GetProperty("failed").GetInt32());
        Assert.Equal(2, counts.GetProperty("verifiedCompliant").GetInt32());

        // Notified by the usual policy: one ActionResolved per fixed machine, none for the failing one; one completion.
        await Eventually.HoldsAsync(
            () => notifications.Notifications.Any(n => n.Event.GetProperty("type").GetString() == "Compliance.RemediationCompleted"),
            _timeout,
            "the completion to be delivered");
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var id in ids[..2])
        {
            Assert.Single(notifications.About(id), e => e.GetProperty("type").GetString() == "Compliance.ActionResolved");
        }

        Assert.DoesNotContain(notifications.About(ids[2]), e => e.GetProperty("type").GetString() == "Compliance.ActionResolved");
        var completed = Assert.Single(notifications.Notifications, n => n.Event.GetProperty("type").GetString() == "Compliance.RemediationCompleted").Event;
        Assert.Equal($"/remediations/{planId}", completed.GetProperty("subject").GetString());
        Assert.Equal(1, completed.GetProperty("data").GetProperty("failed").GetInt32());
        Assert.Equal(ids[2], completed.GetProperty("data").GetProperty("failures")[0].GetProperty("resourceId").GetString(), StringComparer.OrdinalIgnoreCase);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
