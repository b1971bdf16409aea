using System.Text.Json;
using Compliance.Functions.Functions;
using Compliance.Server.Dashboard;
using Compliance.Server.Hosting;

namespace Compliance.Functions.Tests.Functions;

/// <summary>
/// The HTTP triggers, called with the request the ASP.NET Core integration hands them and their results executed as
/// it executes them: the routes, statuses and problem documents of the API that <c>compliance serve</c> answers too.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiFunctionsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ApiFunctions_AfterAScan_AnswerTheStoredVerdicts()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a", guest: Fleets.Unpatched()), Fleets.Vm("b")));
        var api = new ApiFunctions();

        // StartScan queues the batches; the trigger runs them.
        var start = harness.Request("POST", "/api/scans", body: "");
        var started = await FunctionsHarness.ExecuteAsync(await new StartScan().RunAsync(start.Request), start);
        Assert.Equal(202, started.Status);
        var scanId = started.Json().GetProperty("scanId").GetString()!;
        Assert.Equal($"/api/scans/{scanId}", started.Headers.Location.ToString());
        var batches = await harness.Batches.PeekAsync();
        Assert.NotEmpty(batches);
        foreach (var batch in batches)
        {
            await harness.Function<CheckMachines>().RunAsync(FunctionsHarness.Message(batch), CancellationToken.None);
        }

        var summary = await GetAsync(harness, "/api/summary", r => api.Summary(r));
        Assert.Equal(200, summary.Status);
        Assert.Equal(scanId, summary.Json().GetProperty("scanId").GetString());

        var list = await GetAsync(harness, "/api/compliance?status=ActionRequired", r => api.ListCompliance(r));
        var item = Assert.Single(list.Json().GetProperty("items").EnumerateArray());
        Assert.Equal(Fleets.VmId("a"), item.GetProperty("id").GetString());

        var detail = await GetAsync(harness, "/api/compliance" + Fleets.VmId("a"), r => api.GetCompliance(r, Fleets.VmId("a")[1..]));
        Assert.Equal("ActionRequired", detail.Json().GetProperty("resource").GetProperty("status").GetString());

        var scan = await GetAsync(harness, $"/api/scans/{scanId}", r => api.GetScan(r, scanId));
        Assert.Equal(JsonValueKind.String, scan.Json().GetProperty("completedAt").ValueKind);
        Assert.Equal(scanId, (await GetAsync(harness, "/api/scans?top=1", r => api.ListScans(r))).Json()[0].GetProperty("scanId").GetString());

        var csv = await GetAsync(harness, "/api/compliance.csv", r => api.ComplianceCsv(r));
        Assert.StartsWith("text/csv", csv.ContentType, StringComparison.Ordinal);
        Assert.Contains(Fleets.VmId("b"), csv.Body, StringComparison.Ordinal);

        var dashboard = await GetAsync(harness, "/api/dashboard", r => api.Dashboard(r));
        Assert.Equal(DashboardView.ContentType, dashboard.ContentType);
        Assert.Equal(DashboardView.ContentSecurityPolicy, dashboard.Headers.ContentSecurityPolicy.ToString());
        Assert.Contains("<html", dashboard.Body, StringComparison.OrdinalIgnoreCase);

        var health = await GetAsync(harness, "/api/health", r => api.Health(r));
        Assert.Equal("Healthy", health.Json().GetProperty("status").GetString());
        Assert.Equal("FunctionsHost", health.Json().GetProperty("mode").GetString());
    }

    [Fact]
    public async Task ApiFunctions_BadRequests_ProblemDocuments()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")));
        var api = new ApiFunctions();

        (await GetAsync(harness, "/api/compliance?status=Nope", r => api.ListCompliance(r))).AssertProblem(400);
        (await GetAsync(harness, "/api/compliance.csv?color=red", r => api.ComplianceCsv(r))).AssertProblem(400);
        (await GetAsync(harness, "/api/compliance/not-an-id", r => api.GetCompliance(r, "not-an-id"))).AssertProblem(400);
        (await GetAsync(harness, "/api/compliance" + Fleets.VmId("a"), r => api.GetCompliance(r, Fleets.VmId("a")[1..]))).AssertProblem(404);
        (await GetAsync(harness, "/api/scans/nope", r => api.GetScan(r, "nope"))).AssertProblem(404);
        (await GetAsync(harness, "/api/scans?top=0", r => api.ListScans(r))).AssertProblem(400);

        foreach (var body in new[] { "{\"subscriptions\": [\"production\"]}", "[1]", "{", new string(' ', 70_000) + "{}" })
        {
            var start = harness.Request("POST", "/api/scans", body);
            var answer = await FunctionsHarness.ExecuteAsync(await new StartScan().RunAsync(start.Request), start);
            Assert.InRange(answer.Status, 400, 413);
            answer.AssertProblem(answer.Status);
        }

        Assert.Empty(await harness.Batches.PeekAsync());
        Assert.Empty(harness.Emulator.RunCommands);
    }

    [Fact]
    public async Task ApiFunctions_MalformedInput_4xxProblemsNever500()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")));
        var api = new ApiFunctions();

        // Invalid Unicode in the query or the path, as the host hands it on, and in a route value.
        foreach (var path in new[] { "/api/compliance?status=%FF", "/api/compliance?resourceGroup=rg%ED%A0%80", "/api/compliance?%C0%AF=1" })
        {
            Assert.Equal(RequestInput.InvalidUnicode, (await GetAsync(harness, path, r => api.ListCompliance(r))).AssertProblem(400));
        }

        Assert.Equal(RequestInput.InvalidUnicode, (await GetAsync(harness, "/api/compliance.csv?finding=%FF", r => api.ComplianceCsv(r))).AssertProblem(400));
        Assert.Equal(RequestInput.InvalidUnicode, (await GetAsync(harness, "/api/compliance/subscriptions/%ED%A0%80", r => api.GetCompliance(r, "subscriptions/%ED%A0%80"))).AssertProblem(400));
        Assert.Equal(RequestInput.InvalidUnicode, (await GetAsync(harness, "/api/compliance/subscriptions/x", r => api.GetCompliance(r, "subscriptions/\uD800"))).AssertProblem(400));
        Assert.Equal(RequestInput.InvalidUnicode, (await GetAsync(harness, "/api/scans/x", r => api.GetScan(r, "scan-\uFFFD"))).AssertProblem(400));
        Assert.Equal(RequestInput.InvalidUnicode, (await GetAsync(harness, "/api/scans?top=%ED%B0%80", r => api.ListScans(r))).AssertProblem(400));

        // Lists, numbers and flags in a filter.
        Assert.Contains("not a list", (await GetAsync(harness, "/api/compliance?status=ActionRequired,Unknown", r => api.ListCompliance(r))).AssertProblem(400), StringComparison.Ordinal);
        Assert.Contains("status must be one of", (await GetAsync(harness, "/api/compliance?status=3", r => api.ListCompliance(r))).AssertProblem(400), StringComparison.Ordinal);

        // 40 MB bodies, announced or chunked: refused, and never read whole.
        foreach (var (method, chunked) in new[] { ("POST", false), ("POST", true), ("GET", false), ("GET", true) })
        {
            var body = new CountingStream(40L * 1024 * 1024);
            var context = harness.Request(method, "/api/scans");
            context.Request.Body = body;
            if (chunked)
            {
                context.Request.Headers.TransferEncoding = "chunked";
            }
            else
            {
                context.Request.ContentLength = body.Length;
            }

            var answer = await FunctionsHarness.ExecuteAsync(
                method == "POST" ? await new StartScan().RunAsync(context.Request) : await api.ListScans(context.Request),
                context);
            answer.AssertProblem(413);
            Assert.True(body.Position <= 256 * 1024, $"{method}: {body.Position} bytes of the body were read.");
        }

        Assert.Empty(await harness.Batches.PeekAsync());
        Assert.Empty(harness.Emulator.RunCommands);
    }

    private static async Task<HttpAnswer> GetAsync(FunctionsHarness harness, string path, Func<Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Http.IResult>> function)
    {
        var context = harness.Request("GET", path);
        return await FunctionsHarness.ExecuteAsync(await function(context.Request), context);
    }

    // A body of zeros that counts how much of it was read, without holding it.
    private sealed class CountingStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
