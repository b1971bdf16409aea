using System.Net;
using System.Text;
using System.Text.Json;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Compliance.Server.Hosting;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Server.Tests.Api;

/// <summary>
/// The remediation routes of <c>compliance serve</c>: off by default, each answering a 403 problem that says how to turn
/// it on; on, planning and approving need the operator key, and the author and approver are the key's name.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RemediationApiTests(AzuriteFixture azurite)
{
    private const string ReadKey = "a-read-key-of-32-characters-long";
    private const string OperatorKey = "an-operator-key-of-32-characters";
    private const string SomePlan = "rem-20260101000000-0000abcd";

    [Fact]
    public async Task Off_EveryRemediationRouteOfThePermissionTable_AnswersA403ProblemSayingHowToTurnItOn()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")));
        var endpoints = ((IEndpointRouteBuilder)app.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name && ApiPermission.Find(name) is not null)
            .ToList();
        var remediation = endpoints.Where(e => e.RoutePattern.RawText!.Contains("remediations", StringComparison.Ordinal)).ToList();

        // Every route of the table whose name speaks of remediation is among them: a new one cannot be missed.
        Assert.Equal(
            ApiPermission.Routes.Keys.Where(k => k.Contains("Remediation", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            remediation.Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName).Order(StringComparer.Ordinal));
        Assert.Equal(5, remediation.Count);
        foreach (var endpoint in remediation)
        {
            var path = endpoint.RoutePattern.RawText!.Replace("{planId}", SomePlan, StringComparison.Ordinal).TrimStart('/');
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path)
                {
                    Content = method == "POST" ? new StringContent("""{"action":"GuestUpdate"}""", Encoding.UTF8, "application/json") : null,
                };
                using var response = await app.Http.SendAsync(request);
                var detail = await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.Forbidden);
                Assert.Contains("Compliance__Remediation__Enabled", detail, StringComparison.Ordinal);
                Assert.Contains("enableRemediation", detail, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task On_TheReadKeyReadsButCannotPlanOrApprove_TheOperatorKeyPlansAndApproves_AsItsName()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: new Dictionary<string, string?>
        {
            ["Compliance:Api:ReadKey"] = ReadKey,
            ["Compliance:Api:OperatorKey"] = OperatorKey,
            ["Compliance:Api:FailedAuthenticationsPerMinute"] = "1000",
            ["Compliance:Remediation:Enabled"] = "true",
        });
        await SeedAsync(app.Verdicts, Fleets.VmId("web-1"));
        const string Body = """{"action":"GuestUpdate","filter":{"resourceGroup":"rg-1"},"rebootSetting":"Never","maximumDuration":"PT1H"}""";

        using (var byReader = await SendAsync(app, HttpMethod.Post, "api/remediations", ReadKey, Body))
        {
            Assert.Contains("operator key", await AppUnderTest.AssertProblemAsync(byReader, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        }

        using var proposed = await SendAsync(app, HttpMethod.Post, "api/remediations", OperatorKey, Body.Replace("rg-1", Fleets.ResourceGroup, StringComparison.Ordinal));
        var proposedText = await proposed.Content.ReadAsStringAsync();
        Assert.True(proposed.StatusCode == HttpStatusCode.Created, proposedText);
        var plan = JsonDocument.Parse(proposedText).RootElement.GetProperty("plan");
        var id = plan.GetProperty("id").GetString()!;
        Assert.Equal($"/api/remediations/{id}", proposed.Headers.Location?.OriginalString);
        Assert.Equal("Proposed", plan.GetProperty("state").GetString());
        Assert.Equal("api-key:operator", plan.GetProperty("createdBy").GetString());
        Assert.Equal("Never", plan.GetProperty("rebootSetting").GetString());

        using (var approveByReader = await SendAsync(app, HttpMethod.Post, $"api/remediations/{id}/approve", ReadKey, null))
        {
            await AppUnderTest.AssertProblemAsync(approveByReader, HttpStatusCode.Forbidden);
        }

        using (var cancelByReader = await SendAsync(app, HttpMethod.Post, $"api/remediations/{id}/cancel", ReadKey, null))
        {
            await AppUnderTest.AssertProblemAsync(cancelByReader, HttpStatusCode.Forbidden);
        }

        using (var read = await SendAsync(app, HttpMethod.Get, $"api/remediations/{id}", ReadKey, null))
        {
            var detail = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("Proposed", detail.GetProperty("plan").GetProperty("state").GetString());
            Assert.Equal(Fleets.VmId("web-1"), detail.GetProperty("steps")[0].GetProperty("resourceId").GetString());
        }

        using (var cancelled = await SendAsync(app, HttpMethod.Post, $"api/remediations/{id}/cancel", OperatorKey, null))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        using (var approveCancelled = await SendAsync(app, HttpMethod.Post, $"api/remediations/{id}/approve", OperatorKey, null))
        {
            Assert.Contains("Cancelled", await AppUnderTest.AssertProblemAsync(approveCancelled, HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        using var list = await SendAsync(app, HttpMethod.Get, "api/remediations", ReadKey, null);
        Assert.Equal(id, JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("", "action")]
    [InlineData("""{"action":"Reformat"}""", "action")]
    [InlineData("""{"action":"GuestUpdate","maximumDuration":"PT5H"}""", "4 hours")]
    [InlineData("""{"action":"GuestUpdate","filter":{"subscription":"x' or 1 eq 1"}}""", "GUID")]
    [InlineData("""{"action":"GuestUpdate","filter":{"resourceIds":["not-an-id"]}}""", "resource ids")]
    [InlineData("""{"action":"GuestUpdate","rebootSetting":"Always"}""", "IfRequired")]
    [InlineData("""{"action":"KvaShadowing","scripts":["$(reboot)"]}""", "script names")]
    [InlineData("""{"action":"GuestUpdate","extra":1}""", "Unknown property")]
    [InlineData("""{"action":"GuestUpdate"}""", "Nothing to remediate")]
    public async Task On_BadOrEmptyRequests_Are4xxProblems(string body, string expected)
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: new Dictionary<string, string?> { ["Compliance:Remediation:Enabled"] = "true" });

        using var response = await app.Http.PostAsync("api/remediations", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode is 400 or 409, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    private static async Task SeedAsync(IVerdictStore verdicts, string id)
    {
        var finding = new ReportFinding("GUEST_UPDATE_MISSING", "High", "Install the kernel update.", new Dictionary<string, object?>());
        var verdict = new ReportResource(id, "VirtualMachine", "web-1", "Linux", "ActionRequired", ["GuestUpdate"], [finding], Fleets.Subscription, Fleets.ResourceGroup, "westeurope", DateTimeOffset.UtcNow);
        var results = await verdicts.WriteStatesAsync([new StateWrite(new ResourceState(verdict, "scan-1", null, [], [], []), null)], CancellationToken.None);
        Assert.True(Assert.Single(results).Written);
    }

    private static async Task<HttpResponseMessage> SendAsync(AppUnderTest app, HttpMethod method, string path, string? key, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await app.Http.SendAsync(request);
    }
}
