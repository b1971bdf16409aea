using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Functions.Tests.Invocations;

/// <summary>
/// The app as the Functions host runs it: the exact invocation payloads of the custom-handler protocol posted to
/// <c>/{FunctionName}</c>, and the <c>Outputs</c>, <c>Logs</c> and status codes the host reads back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionEndpointsTests(AzuriteFixture azurite)
{
    private static readonly string _web1 = Fleets.VmId("web-1");
    private static readonly string _web2 = Fleets.VmId("web-2");
    private static readonly string _rds1 = Fleets.VmId("rds-1", "rg-desk");

    private static string Fleet() => Fleets.Of(
        Fleets.Vm("web-1"),
        Fleets.Vm("web-2", guest: Fleets.Unpatched()),
        Fleets.Vm("rds-1", guest: Fleets.KvaOff(), os: "Windows", resourceGroup: "rg-desk"));

    private static readonly Dictionary<string, string?> _twoBatches = new() { ["Compliance:Scan:BatchSize"] = "2" };

    [Fact]
    public async Task ScheduledScan_TimerWithScheduleStatus_OutputsOneQueueMessagePerBatch()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true, settings: _twoBatches);

        using var response = await InvokeAsync(app, "ScheduledScan", """
            { "Data": { "timer": { "Schedule": { "AdjustForDST": true },
                                   "ScheduleStatus": { "Last": "2026-11-21T00:00:00Z", "Next": "2026-11-21T06:00:00Z", "LastUpdated": "2026-11-21T00:00:00Z" },
                                   "IsPastDue": true } },
              "Metadata": { "sys": { "MethodName": "ScheduledScan", "UtcNow": "2026-11-21T06:00:01Z", "RandGuid": "4e773554-f6b7-4ea2-b07d-4c5fd5aba741" } } }
            """);

        var body = await ReadInvocationAsync(response);
        var messages = body["Outputs"]!["batches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Equal(2, messages.Count);
        var batches = messages.Select(m => JsonNode.Parse(m)!).ToList();
        var scanId = batches[0]["scanId"]!.GetValue<string>();
        Assert.All(batches, b => Assert.Equal(scanId, b["scanId"]!.GetValue<string>()));
        Assert.Equal(new[] { 0, 1 }, batches.Select(b => b["index"]!.GetValue<int>()));
        Assert.All(batches, b => Assert.Equal(2, b["count"]!.GetValue<int>()));
        var ids = batches.SelectMany(b => b["resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())).Order().ToList();
        Assert.Equal(new[] { _rds1, _web1, _web2 }.Order(StringComparer.Ordinal), ids, StringComparer.OrdinalIgnoreCase);
        var log = Assert.Single(body["Logs"]!.AsArray());
        Assert.Contains($"Scan {scanId} planned: 3 resources in 2 batches", log!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("past due", log.GetValue<string>(), StringComparison.Ordinal);

        // The scan is recorded as started, not finished: the batches have not run.
        var scan = await app.GetJsonAsync($"api/scans/{scanId}");
        Assert.Equal(JsonValueKind.Null, scan.GetProperty("completedAt").ValueKind);
        Assert.Empty(app.Emulator.RunCommands);
    }

    [Fact]
    public async Task ScheduledScan_TimerWithoutScheduleStatusOrAsJsonString_PlansAScan()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);

        using var withoutMonitor = await InvokeAsync(app, "ScheduledScan", """
            { "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": null, "IsPastDue": false } },
              "Metadata": { "sys": { "MethodName": "ScheduledScan", "UtcNow": "2026-11-21T06:00:01Z", "RandGuid": "5e773554-f6b7-4ea2-b07d-4c5fd5aba741" } } }
            """);
        var first = await ReadInvocationAsync(withoutMonitor);
        Assert.Single(first["Outputs"]!["batches"]!.AsArray());
        Assert.DoesNotContain("past due", first["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var timerAsString = JsonSerializer.Serialize("""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""");
        using var asString = await InvokeAsync(app, "ScheduledScan", $$"""{ "Data": { "timer": {{timerAsString}} }, "Metadata": {} }""");
        var second = await ReadInvocationAsync(asString);
        Assert.Single(second["Outputs"]!["batches"]!.AsArray());
    }

    [Fact]
    public async Task CheckMachines_QueueMessagesAsStrings_LastBatchFinishesTheScan()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true, settings: _twoBatches);
        using var planned = await InvokeAsync(app, "ScheduledScan", """{ "Data": { "timer": { "IsPastDue": false } }, "Metadata": {} }""");
        var messages = (await ReadInvocationAsync(planned))["Outputs"]!["batches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        var scanId = JsonNode.Parse(messages[0])!["scanId"]!.GetValue<string>();

        for (var i = 0; i < messages.Count; i++)
        {
            using var response = await InvokeAsync(app, "CheckMachines", $$"""
                { "Data": { "batch": {{JsonSerializer.Serialize(messages[i])}} },
                  "Metadata": { "DequeueCount": 1, "ExpirationTime": "2026-11-28T06:00:01+00:00", "Id": "800ae4b3-bdd2-4c08-badd-f08e5a34b86{{i}}",
                                "InsertionTime": "2026-11-21T06:00:01+00:00", "NextVisibleTime": "2026-11-21T06:10:01+00:00",
                                "PopReceipt": "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
                                "sys": { "MethodName": "CheckMachines", "UtcNow": "2026-11-21T06:00:02Z", "RandGuid": "24ad4c06-24ad-4e5b-8294-3da9714877e9" } } }
                """);
            var log = Assert.Single((await ReadInvocationAsync(response))["Logs"]!.AsArray())!.GetValue<string>();
            Assert.Contains($"batch {i + 1} of 2", log, StringComparison.Ordinal);
            Assert.Equal(i == 1, log.Contains("scan finished", StringComparison.Ordinal));
        }

        Assert.Equal(3, app.Emulator.RunCommands.Count);
        var store = app.Services.GetRequiredService<IVerdictStore>();
        Assert.Equal("Compliant", (await store.GetStateAsync(_web1, default))!.State.Verdict.Status);
        Assert.Equal("ActionRequired", (await store.GetStateAsync(_web2, default))!.State.Verdict.Status);
        Assert.Equal("ActionRequired", (await store.GetStateAsync(_rds1, default))!.State.Verdict.Status);

        var scan = await app.GetJsonAsync($"api/scans/{scanId}");
        Assert.Equal(JsonValueKind.String, scan.GetProperty("completedAt").ValueKind);
        Assert.Equal(3, scan.GetProperty("recorded").GetInt32());
        var summary = await app.GetJsonAsync("api/summary");
        Assert.Equal(scanId, summary.GetProperty("scanId").GetString());
    }

    [Fact]
    public async Task CheckMachines_RedeliveredBatch_ResumesWithoutCheckingAgainAndFinishesOnce()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);
        using var planned = await InvokeAsync(app, "ScheduledScan", """{ "Data": { "timer": { "IsPastDue": false } }, "Metadata": {} }""");
        var message = (await ReadInvocationAsync(planned))["Outputs"]!["batches"]![0]!.GetValue<string>();
        var invocation = $$"""{ "Data": { "batch": {{JsonSerializer.Serialize(message)}} }, "Metadata": { "DequeueCount": 1 } }""";

        using var first = await InvokeAsync(app, "CheckMachines", invocation);
        Assert.Contains("scan finished", (await ReadInvocationAsync(first))["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        using var again = await InvokeAsync(app, "CheckMachines", invocation);
        Assert.DoesNotContain("scan finished", (await ReadInvocationAsync(again))["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, app.Emulator.RunCommands.Count);
    }

    [Fact]
    public async Task ResourceChanged_EventAsObjectOrJsonString_HandlesEachIdOnce()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);
        var store = app.Services.GetRequiredService<IVerdictStore>();

        var asObject = EventGridEvent("0f6d2a5e-6f59-4a3c-9d5a-000000000001", "Microsoft.Resources.ResourceWriteSuccess", _web2, "Microsoft.Compute/virtualMachines/write");
        using var first = await InvokeAsync(app, "ResourceChanged", $$"""{ "Data": { "event": {{asObject}} }, "Metadata": { "data": {}, "sys": { "MethodName": "ResourceChanged" } } }""");
        Assert.Contains("Recheck", (await ReadInvocationAsync(first))["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ActionRequired", (await store.GetStateAsync(_web2, default))!.State.Verdict.Status);
        Assert.Single(app.Emulator.RunCommands);

        // The Event Grid extension may hand the event over as an indented JSON string.
        var indented = JsonNode.Parse(EventGridEvent("0f6d2a5e-6f59-4a3c-9d5a-000000000002", "Microsoft.Resources.ResourceActionSuccess", _web1, "Microsoft.Compute/virtualMachines/restart/action"))!
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        using var second = await InvokeAsync(app, "ResourceChanged", $$"""{ "Data": { "event": {{JsonSerializer.Serialize(indented)}} }, "Metadata": {} }""");
        Assert.Contains("Recheck", (await ReadInvocationAsync(second))["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Compliant", (await store.GetStateAsync(_web1, default))!.State.Verdict.Status);
        Assert.Equal(2, app.Emulator.RunCommands.Count);

        // The same event again: nothing is checked, nothing changes.
        var checkedAt = (await store.GetStateAsync(_web2, default))!.State.CheckedAt;
        using var duplicate = await InvokeAsync(app, "ResourceChanged", $$"""{ "Data": { "event": {{asObject}} }, "Metadata": {} }""");
        Assert.Contains("already handled", (await ReadInvocationAsync(duplicate))["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, app.Emulator.RunCommands.Count);
        Assert.Equal(checkedAt, (await store.GetStateAsync(_web2, default))!.State.CheckedAt);
    }

    [Theory]
    [InlineData("Microsoft.Resources.ResourceActionSuccess", "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData("Microsoft.Resources.ResourceActionSuccess", "Microsoft.Compute/virtualMachines/deallocate/action")]
    [InlineData("Microsoft.Resources.ResourceWriteFailure", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Compute/virtualMachines/extensions/write")]
    public async Task ResourceChanged_EventThatChangesNoGuest_IgnoredWithoutACheck(string eventType, string operation)
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);
        var resource = operation.Contains("/extensions/", StringComparison.Ordinal) ? _web1 + "/extensions/agent" : _web1;

        using var response = await InvokeAsync(app, "ResourceChanged", $$"""{ "Data": { "event": {{EventGridEvent(Guid.NewGuid().ToString(), eventType, resource, operation)}} }, "Metadata": {} }""");

        Assert.Contains("Ignore", (await ReadInvocationAsync(response))["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(app.Emulator.RunCommands);
        Assert.Null(await app.Services.GetRequiredService<IVerdictStore>().GetStateAsync(_web1, default));
    }

    [Fact]
    public async Task ResourceChanged_DeleteEvent_RemovesTheStoredVerdict()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);
        var store = app.Services.GetRequiredService<IVerdictStore>();
        using var write = await InvokeAsync(app, "ResourceChanged", $$"""{ "Data": { "event": {{EventGridEvent(Guid.NewGuid().ToString(), "Microsoft.Resources.ResourceWriteSuccess", _web1, "Microsoft.Compute/virtualMachines/write")}} } }""");
        Assert.NotNull(await store.GetStateAsync(_web1, default));

        app.Emulator.UpdateFleet(fleet => FleetDocument.Parse(Fleets.Of(Fleets.Vm("web-2", guest: Fleets.Unpatched()))));
        using var delete = await InvokeAsync(app, "ResourceChanged", $$"""{ "Data": { "event": {{EventGridEvent(Guid.NewGuid().ToString(), "Microsoft.Resources.ResourceDeleteSuccess", _web1, "Microsoft.Compute/virtualMachines/delete")}} } }""");

        Assert.Contains("Remove", (await ReadInvocationAsync(delete))["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await store.GetStateAsync(_web1, default));
        using var detail = await app.Http.GetAsync($"api/compliance{_web1}");
        await AppUnderTest.AssertProblemAsync(detail, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StartScan_Request_AnswersThroughHttpOutputAndQueuesBatches()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true, settings: _twoBatches);
        var request = new JsonObject
        {
            ["Url"] = "https://compliance.example/api/scans",
            ["Method"] = "POST",
            ["Query"] = new JsonObject(),
            ["Headers"] = new JsonObject { ["Content-Type"] = new JsonArray("application/json") },
            ["Params"] = new JsonObject(),
            ["Body"] = $$"""{"subscriptions":["{{Fleets.Subscription}}"]}""",
        };

        using var response = await InvokeAsync(app, "StartScan", new JsonObject { ["Data"] = new JsonObject { ["req"] = request }, ["Metadata"] = new JsonObject() }.ToJsonString());

        var body = await ReadInvocationAsync(response);
        var res = body["Outputs"]!["res"]!;
        Assert.Equal(202, res["statusCode"]!.GetValue<int>());
        var accepted = JsonNode.Parse(res["body"]!.GetValue<string>())!;
        var scanId = accepted["scanId"]!.GetValue<string>();
        Assert.Equal($"/api/scans/{scanId}", res["headers"]!["Location"]!.GetValue<string>());
        Assert.Equal(3, accepted["resources"]!.GetValue<int>());
        Assert.Equal(2, body["Outputs"]!["batches"]!.AsArray().Count);

        request["Body"] = """{"subscriptions":"all"}""";
        using var bad = await InvokeAsync(app, "StartScan", new JsonObject { ["Data"] = new JsonObject { ["req"] = request.DeepClone() } }.ToJsonString());
        var badBody = await ReadInvocationAsync(bad);
        Assert.Equal(400, badBody["Outputs"]!["res"]!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/problem+json", badBody["Outputs"]!["res"]!["headers"]!["Content-Type"]!.GetValue<string>());
        Assert.Null(badBody["Outputs"]!["batches"]);
    }

    [Theory]
    [InlineData("ScheduledScan", "not json")]
    [InlineData("ScheduledScan", """{ "Metadata": {} }""")]
    [InlineData("ScheduledScan", """{ "Data": {} }""")]
    [InlineData("ScheduledScan", """{ "Data": { "timer": 42 } }""")]
    [InlineData("ScheduledScan", """{ "Data": { "timer": "{not json" } }""")]
    [InlineData("CheckMachines", """{ "Data": { "batch": "{ message: \"Message sent\" }" } }""")]
    [InlineData("CheckMachines", """{ "Data": { "batch": "{\"scanId\":\"s\",\"index\":2,\"count\":2,\"resources\":[]}" } }""")]
    [InlineData("CheckMachines", """{ "Data": { "batch": "{\"scanId\":\"s\",\"index\":0,\"count\":1,\"resources\":[{\"kind\":\"VirtualMachine\",\"id\":\"not-an-id\",\"name\":\"x\",\"location\":\"y\"}]}" } }""")]
    [InlineData("ResourceChanged", """{ "Data": { "event": { "eventType": "Microsoft.Resources.ResourceWriteSuccess", "subject": "/subscriptions/x" } } }""")]
    [InlineData("ResourceChanged", """{ "Data": { "event": [1, 2] } }""")]
    [InlineData("ResourceChanged", """{ "Data": { "event": { "id": "1", "eventType": "Microsoft.Resources.ResourceWriteSuccess", "subject": "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/a/providers/Microsoft.Compute/virtualMachines/a", "data": { "resourceUri": "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/b/providers/Microsoft.Compute/virtualMachines/b" } } } }""")]
    public async Task Invoke_InputNotWhatTheBindingDelivers_400Problem(string function, string payload)
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);

        using var response = await InvokeAsync(app, function, payload);

        await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Empty(app.Emulator.RunCommands);
    }

    [Fact]
    public async Task ResourceChanged_ArmUnreachable_500SoEventGridRetries()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);
        await app.Emulator.DisposeAsync();

        using var response = await InvokeAsync(app, "ResourceChanged", $$"""{ "Data": { "event": {{EventGridEvent(Guid.NewGuid().ToString(), "Microsoft.Resources.ResourceWriteSuccess", _web1, "Microsoft.Compute/virtualMachines/write")}} } }""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Map_UnderTheHost_AnswersReadinessProbeAndForwardedApi()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleet(), hosted: true);

        using var root = await app.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        var health = await app.GetJsonAsync("api/health");
        Assert.Equal("FunctionsHost", health.GetProperty("mode").GetString());

        // Under the host, POST /api/scans is the StartScan function (a queue output), not a forwarded route.
        using var post = await app.Http.PostAsync("api/scans", new StringContent(""));
        await AppUnderTest.AssertProblemAsync(post, HttpStatusCode.MethodNotAllowed);
    }

    private static string EventGridEvent(string id, string eventType, string resourceId, string operation) => new JsonObject
    {
        ["id"] = id,
        ["topic"] = $"/subscriptions/{Fleets.Subscription}",
        ["subject"] = resourceId,
        ["eventType"] = eventType,
        ["eventTime"] = "2026-11-21T10:00:00.1234567Z",
        ["dataVersion"] = "2",
        ["metadataVersion"] = "1",
        ["data"] = new JsonObject
        {
            ["authorization"] = new JsonObject { ["scope"] = resourceId, ["action"] = operation },
            ["operationName"] = operation,
            ["resourceProvider"] = "Microsoft.Compute",
            ["resourceUri"] = resourceId,
            ["status"] = "Succeeded",
            ["subscriptionId"] = Fleets.Subscription,
        },
    }.ToJsonString();

    private static Task<HttpResponseMessage> InvokeAsync(AppUnderTest app, string function, string payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/{function}") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1037.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1037.0");
        return app.Http.SendAsync(request);
    }

    private static async Task<JsonNode> ReadInvocationAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.NotNull(body["Outputs"]);
        Assert.NotNull(body["Logs"]);
        return body;
    }
}
