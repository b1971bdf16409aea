using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;

namespace Compliance.Reliability.Tests;

/// <summary>
/// Hostile input at every door: guest output, messages in the resource-change queue, and API queries. Each input must get
/// a verdict, a clear 4xx, or the poison queue (or be consumed and ignored), and leave the store as it was where it has
/// no business changing it.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class HostileInputTests(ReliabilityFixture fixture)
{
    private const string GuestOutput = "Guest output";
    private const string ResourceChanges = "Resource-change queue";
    private const string Api = "HTTP API";
    private const string Script = "<script>alert('x')</script>";

    private const string Poisoned = "poisoned";
    private const string Ignored = "consumed, ignored";
    private const string TooLarge = "refused by the storage service (413 RequestBodyTooLarge)";

    // A storage queue message holds at most 64 KiB: https://learn.microsoft.com/azure/storage/queues/storage-queues-introduction
    private const int MaxMessageBytes = 64 * 1024;

    // The consumer's "not resource events; it goes to the poison queue" entry (Compliance.Server.Events.EventLog).
    private const int NotEventsLog = 5001;

    // Write events in a burst for one machine.
    private const int BurstEvents = 200;

    // Wrong keys sent from one address; the default limit refuses all but the first 10 a minute.
    private const int WrongKeys = 200;
    private const string ReadKey = "a-read-key-of-32-characters-long";
    private const string OperatorKey = "an-operator-key-of-32-characters";

    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(30);
    // How long a scheduled re-check waits: long enough for every event of a burst to be handled first.
    private static readonly TimeSpan _recheckDelay = TimeSpan.FromSeconds(8);

    private static readonly string _victim = ReliabilityFleet.VmId("victim");
    private readonly List<string> _failures = [];

    [Fact]
    public async Task GuestOutput_GetsAVerdictAndStaysInert()
    {
        var hostileReport = ReliabilityFleet.Patched();
        hostileReport["kernel"] = $"5.15.0 {Script}";
        hostileReport["distro"]!["prettyName"] = "=HYPERLINK(\"http://evil.example\")";
        var claims = ReliabilityFleet.Patched();
        claims["resourceId"] = _victim;
        claims["id"] = _victim;
        claims["subscriptionId"] = "22222222-2222-2222-2222-222222222222";
        var control = ReliabilityFleet.Patched();
        control["kernel"] = "5.15.0\u0000\u001b[31m\u0007\r\nFAKE: Compliant";
        var bidi = ReliabilityFleet.Patched();
        bidi["vulnerabilities"]!["meltdown"] = "Vulnerable vm-\u202Egnp.exe a;=HYPERLINK(\"http://evil.example\")";
        var controlInVerdict = ReliabilityFleet.Patched();
        controlInVerdict["vulnerabilities"]!["meltdown"] = "Vulnerable\u0000\r\nMitigation: PTI";
        // What each may get: Unknown when there is no report to trust, or when a state in it is not a wording the
        // kernels print; its own report's verdict otherwise, never Compliant on the strength of a line that says otherwise.
        var machines = new (string Name, string Input, JsonNode? Raw, JsonObject? Guest, string Expected)[]
        {
            ("g-huge", "1 MB of output, no report", JsonValue.Create(new string('x', 1 << 20)), null, "Unknown"),
            ("g-nested", "a report nested 2,000 arrays deep", JsonValue.Create("{\"schema\":1,\"os\":\"Linux\",\"x\":" + new string('[', 2000) + new string(']', 2000) + "}"), null, "Unknown"),
            ("g-truncated", "a report cut off half way", JsonValue.Create(ReliabilityFleet.Patched().ToJsonString()[..40]), null, "Unknown"),
            ("g-control", "control characters and a fake verdict line in an informational string (the kernel)", null, control, "Compliant"),
            ("g-control-verdict", "control characters inside a mitigation string (\"Vulnerable\\0\\r\\nMitigation: PTI\")", null, controlInVerdict, "Unknown"),
            ("g-claims", "a report that claims to be another machine (another id and subscription)", null, claims, "Compliant"),
            ("g-html", "HTML/script and a spreadsheet formula in strings", null, hostileReport, "Compliant"),
            ("g-bidi", "a right-to-left override and a formula after a semicolon in a mitigation string", null, bidi, "Unknown"),
        };
        var vms = new JsonArray(ReliabilityFleet.Vm("victim", "Linux", ReliabilityFleet.Unpatched()));
        foreach (var (name, _, raw, guest, _) in machines)
        {
            var vm = ReliabilityFleet.Vm(name, "Linux", guest ?? ReliabilityFleet.Patched());
            if (raw is not null)
            {
                vm["runCommand"] = new JsonObject { ["rawOutput"] = raw };
            }

            vms.Add(vm);
        }

        await using var system = await AppUnderTest.StartAsync(fixture.ConnectionString, FleetOf(vms), settings: ReliabilitySettings.App());
        await system.ScanAsync();

        var dashboard = await GetTextAsync(system, "api/dashboard");
        var csv = await GetTextAsync(system, "api/compliance.csv");
        var json = await GetTextAsync(system, "api/compliance");
        foreach (var (name, input, _, _, expected) in machines)
        {
            var state = (await system.Verdicts.GetStateAsync(ReliabilityFleet.VmId(name), CancellationToken.None))?.State.Verdict;
            var answer = state is null ? "no verdict" : $"{state.Status} ({string.Join(", ", state.Findings.Select(f => f.Code))})";
            Check(state is not null, $"{name}: no verdict stored");
            Check(state?.Status == expected, $"{name}: {answer}, expected {expected}");
            fixture.Ledger.Add(new HostileFigures(GuestOutput, input, answer, null));
        }

        var victim = (await system.Verdicts.GetStateAsync(_victim, CancellationToken.None))!.State.Verdict;
        Check(victim.Status == "ActionRequired", $"the machine another report claimed to be is {victim.Status}");
        Check(!dashboard.Contains(Script, StringComparison.Ordinal) && !dashboard.Contains("<script>alert", StringComparison.Ordinal), "the dashboard carries the script unescaped");
        Check(!json.Contains("<script>", StringComparison.Ordinal), "the JSON API carries the script unescaped");
        Check(!Cells(csv).Any(c => c.Length > 0 && "=+-@\t\r".Contains(c[0], StringComparison.Ordinal)), "a CSV cell starts like a formula");
        fixture.Ledger.Add(new HostileFigures(GuestOutput, "the script of a guest string, in the dashboard, the JSON API and the CSV", "escaped (HTML-encoded, \\u003C in JSON, formula cells prefixed with ')", null));
        var unmarked = (Func<char, bool>)(c => Compliance.Core.Reporting.InertText.IsBidiControl(c) || (char.IsControl(c) && c is not '\n' and not '\r' and not '\t'));
        Check(!dashboard.Any(unmarked) && dashboard.Contains("<span class=\"mark\" title=\"U+202E\">", StringComparison.Ordinal) && dashboard.Contains("title=\"U+0000\"", StringComparison.Ordinal), "the dashboard carries a control or bidirectional character unmarked");
        Check(!json.Any(unmarked) && json.Contains("\\u202E", StringComparison.Ordinal), "the JSON API carries a control or bidirectional character unescaped");
        Check(!csv.Any(unmarked), "the CSV carries a control or bidirectional character");
        fixture.Ledger.Add(new HostileFigures(GuestOutput, "control characters (NUL, ESC, BEL) and a right-to-left override of a guest string, in the dashboard, the JSON API and the CSV", "marked (`<U+202E>` in `<bdi>` on the dashboard, \\u escapes in JSON, no raw character in the CSV)", null));
        AssertNoFailures();
    }

    [Fact]
    public async Task ResourceChangeMessages_ArePoisonedOrIgnored()
    {
        var logs = new CapturingLoggerProvider();
        var fleet = FleetOf(new JsonArray(ReliabilityFleet.Vm("victim", "Linux", ReliabilityFleet.Unpatched())));
        await using var system = await AppUnderTest.StartAsync(
            fixture.ConnectionString,
            fleet,
            settings: ReliabilitySettings.App(extra: new Dictionary<string, string?> { ["Compliance:Scan:Subscriptions"] = ReliabilityFleet.Subscription }),
            logs: logs);
        await system.ScanAsync();

        var storage = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/data";
        var otherSubscription = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/victim";
        var fullMessage = EventsUpTo(MaxMessageBytes, i => EventObject($"e-batch-{i}", i % 2 == 0 ? storage : otherSubscription));
        var fiveThousand = Batch(Enumerable.Range(0, 5000).Select(i => EventObject($"e-batch-{i}", i % 2 == 0 ? storage : otherSubscription)));
        var cases = new (string Input, string Message, string Expected, string? Reason)[]
        {
            ("not JSON", "{\"id\": \"1\",", Poisoned, null),
            ("JSON that is not an event (a number)", "42", Poisoned, null),
            ("an event without an id", $"{{\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",\"subject\":\"{_victim}\"}}", Poisoned, null),
            ("an event whose subject and data.resourceUri differ", EventObject("e-mismatch", _victim, resourceUri: storage), Poisoned, null),
            ("an event id of 10,000 characters", EventObject(new string('a', 10_000), _victim), Poisoned, null),
            ("JSON nested 10,000 deep", new string('[', 10_000) + new string(']', 10_000), Poisoned, null),
            // 5,001 well-formed events do not fit in one message; empty objects do, and the count refuses them before any is read.
            ("5,001 events in one message (empty objects)", Batch(Enumerable.Repeat("{}", 5001)), Poisoned, "at most 5000 events"),
            ("the Base64 of bytes that are not UTF-8 text", Convert.ToBase64String([0xFF, 0xFE, 0x00, 0x80, 0xC3]), Poisoned, null),
            ("an event for another resource type (a storage account)", EventObject("e-storage", storage), Ignored, null),
            ("an event for a subscription the app does not watch", EventObject("e-other-subscription", otherSubscription), Ignored, null),
            ("an event of another type (a resource group deleted)", EventObject("e-other-type", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app", type: "Microsoft.Resources.ResourceDeleteSuccess"), Ignored, null),
            (Invariant($"{fullMessage.Count:N0} events for other resources in one message (as many as its 64 KiB hold)"), Batch(fullMessage), Ignored, null),
            (Invariant($"5,000 events for other resources in one message ({fiveThousand.Length / 1024:N0} KiB)"), fiveThousand, TooLarge, null),
        };
        foreach (var (input, message, expected, reason) in cases)
        {
            await DeliverAsync(system, logs, input, message, expected, reason);
        }

        // Replayed: the first delivery re-checks the machine; the same event again changes nothing.
        var replayed = EventObject("e-replayed", _victim);
        var before = await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger);
        var checks = system.Emulator.RunCommands.Count;
        await system.EventsQueue.SendAsync(replayed);
        await system.EventsHandledAsync(_timeout, "a write event for the machine to be handled");
        Check(system.Emulator.RunCommands.Count == checks + 1, $"a write event for the machine: {system.Emulator.RunCommands.Count - checks} checks, expected 1");
        Check(before != await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger), "a write event for the machine left the store as it was");

        await DeliverAsync(system, logs, "a write event delivered again (replayed)", replayed, Ignored, null);
        AssertNoFailures();
    }

    [Fact]
    public async Task ResourceChangeEvents_AreCheckedWithArmBeforeTheyAreBelieved()
    {
        // The sinks refuse every delivery, so the machine's action notification stays pending in its outbox.
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Mode = ReceiverMode.Down;
        var fleet = FleetOf(new JsonArray(ReliabilityFleet.Vm("victim", "Linux", ReliabilityFleet.Unpatched())));
        await using var system = await AppUnderTest.StartAsync(
            fixture.ConnectionString,
            fleet,
            settings: ReliabilitySettings.App(receiver, new Dictionary<string, string?>
            {
                ["Compliance:Scan:Subscriptions"] = ReliabilityFleet.Subscription,
                ["Compliance:Events:RecheckDelay"] = _recheckDelay.ToString("c", CultureInfo.InvariantCulture),
            }));
        await system.ScanAsync();
        var verdict = await VerdictOfVictimAsync(system);
        Check(verdict.Outbox > 0, "the machine has no pending notification to keep");

        // A delete for a machine that still exists, as anyone with access to the queue could write it.
        var checks = ChecksOfVictim(system);
        await system.EventsQueue.SendAsync(EventObject("e-forged-delete", _victim, type: "Microsoft.Resources.ResourceDeleteSuccess", operation: "Microsoft.Compute/virtualMachines/delete"));
        await system.EventsHandledAsync(_timeout, "a forged delete for the machine to be handled");
        var afterDelete = await VerdictOfVictimAsync(system);
        var rechecks = ChecksOfVictim(system) - checks;
        var kept = afterDelete.Exists && afterDelete == verdict;
        Check(rechecks == 1, $"a forged delete: {rechecks} checks of the machine, expected 1 (its re-check)");
        Check(kept, $"a forged delete: the verdict is now {afterDelete}, was {verdict}");
        var deleteAnswer = kept && rechecks == 1
            ? Invariant($"re-checked ({rechecks} Run Command); ARM says it exists: verdict kept (same status and findings, {afterDelete.Outbox} pending notification(s) kept; the re-check refreshes its check time, so verdicts are compared, not rows)")
            : Invariant($"{rechecks} checks; verdict {afterDelete}");
        fixture.Ledger.Add(new HostileFigures(ResourceChanges, "a forged `Microsoft.Resources.ResourceDeleteSuccess` for a machine that still exists", deleteAnswer, kept));

        // A burst of writes, each with a new id, as a forger would send them: the first schedules the re-check, the
        // others find it pending. Every event is handled long before the re-check becomes visible.
        checks = ChecksOfVictim(system);
        await Task.WhenAll(Enumerable.Range(0, BurstEvents).Select(i => system.EventsQueue.SendAsync(EventObject(Invariant($"e-burst-{i}"), _victim))));
        await system.EventsHandledAsync(_timeout, "a burst of write events for the machine to be handled");
        var afterBurst = await VerdictOfVictimAsync(system);
        var burstChecks = ChecksOfVictim(system) - checks;
        var same = afterBurst.Exists && afterBurst == verdict;
        Check(burstChecks == 1, $"{BurstEvents} write events for the machine: {burstChecks} checks, expected 1");
        Check(same, $"{BurstEvents} write events for the machine: the verdict is now {afterBurst}, was {verdict}");
        var burstAnswer = Invariant($"coalesced: {burstChecks} Run Command for {BurstEvents} events (one re-check pending per machine within Compliance:Events:RecheckDelay); verdict the same (status, findings, pending notifications)");
        fixture.Ledger.Add(new HostileFigures(ResourceChanges, Invariant($"{BurstEvents} write events with new ids for one machine, within the re-check delay"), burstAnswer, same));
        AssertNoFailures();
    }

    [Fact]
    public async Task ApiQueries_AreRefusedWithProblems()
    {
        var fleet = FleetOf(new JsonArray(ReliabilityFleet.Vm("victim", "Linux", ReliabilityFleet.Unpatched())));
        await using var system = await AppUnderTest.StartAsync(fixture.ConnectionString, fleet, settings: ReliabilitySettings.App());
        await system.ScanAsync();

        const string injection = "' or PartitionKey ne '";
        var escaped = Uri.EscapeDataString(injection);
        var requests = new List<(string Input, HttpMethod Method, string Path, HttpStatusCode Expected)>();
        foreach (var filter in new[] { "status", "action", "subscription", "resourceGroup", "os", "finding" })
        {
            requests.Add(($"Table-filter injection in {filter}", HttpMethod.Get, $"api/compliance?{filter}={escaped}", HttpStatusCode.BadRequest));
            requests.Add(($"Table-filter injection in {filter} (CSV)", HttpMethod.Get, $"api/compliance.csv?{filter}={escaped}", HttpStatusCode.BadRequest));
        }

        requests.AddRange(
        [
            ("Table-filter injection in a resource id", HttpMethod.Get, $"api/compliance/subscriptions/{escaped}/resourceGroups/x", HttpStatusCode.NotFound),
            ("pageSize of 10,000,000", HttpMethod.Get, "api/compliance?pageSize=10000000", HttpStatusCode.BadRequest),
            ("pageSize of -1", HttpMethod.Get, "api/compliance?pageSize=-1", HttpStatusCode.BadRequest),
            ("pageSize that is not a number", HttpMethod.Get, "api/compliance?pageSize=1e3", HttpStatusCode.BadRequest),
            ("a continuation token that is not one", HttpMethod.Get, "api/compliance?continuationToken=AAAA", HttpStatusCode.BadRequest),
            ("a continuation token carrying a filter", HttpMethod.Get, $"api/compliance?continuationToken={Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(injection)))}", HttpStatusCode.BadRequest),
            ("a continuation token of 6,000 characters", HttpMethod.Get, $"api/compliance?continuationToken={new string('A', 6_000)}", HttpStatusCode.BadRequest),
            ("a query string of 100,000 characters (refused by Kestrel before the app)", HttpMethod.Get, $"api/compliance?continuationToken={new string('A', 100_000)}", HttpStatusCode.RequestUriTooLong),
            ("a parameter given twice", HttpMethod.Get, "api/compliance?status=Compliant&status=Unknown", HttpStatusCode.BadRequest),
            ("an unknown parameter", HttpMethod.Get, "api/compliance?$filter=true", HttpStatusCode.BadRequest),
            ("scans top of 1,000,000", HttpMethod.Get, "api/scans?top=1000000", HttpStatusCode.BadRequest),
            ("invalid UTF-8 in a filter (%FF)", HttpMethod.Get, "api/compliance?resourceGroup=rg%FF", HttpStatusCode.BadRequest),
            ("an encoded lone surrogate in a filter (%ED%A0%80)", HttpMethod.Get, "api/compliance.csv?resourceGroup=%ED%A0%80", HttpStatusCode.BadRequest),
            ("an encoded lone surrogate in a resource id", HttpMethod.Get, "api/compliance/subscriptions/%ED%A0%80/resourceGroups/x", HttpStatusCode.BadRequest),
            ("invalid UTF-8 in a scan id", HttpMethod.Get, "api/scans/scan-%C0%AF", HttpStatusCode.BadRequest),
            ("a list of statuses (ActionRequired,Unknown), once read as enum flags: Exempt", HttpMethod.Get, "api/compliance?status=ActionRequired,Unknown", HttpStatusCode.BadRequest),
            ("a status given as a number (4)", HttpMethod.Get, "api/compliance?status=4", HttpStatusCode.BadRequest),
            ("DELETE on the verdicts", HttpMethod.Delete, "api/compliance", HttpStatusCode.MethodNotAllowed),
            ("PUT on a verdict", HttpMethod.Put, $"api/compliance{_victim}", HttpStatusCode.MethodNotAllowed),
            ("POST on the summary", HttpMethod.Post, "api/summary", HttpStatusCode.MethodNotAllowed),
            ("DELETE on a scan", HttpMethod.Delete, "api/scans/x", HttpStatusCode.MethodNotAllowed),
        ]);
        foreach (var (input, method, path, expected) in requests)
        {
            var before = await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger);
            using var request = new HttpRequestMessage(method, path);
            using var response = await system.Http.SendAsync(request);
            await RecordAsync(system, Api, input, response, expected, before);
        }

        // 40 MB bodies, announced and chunked. The client waits for the server's 100 Continue, which a refused body never
        // gets, so the answer comes before any of the body is sent. (A chunked scan start is read up to its 64 KiB limit
        // first, and the client stops at the closed connection: RequestInputTests shows its 413 on a socket.)
        var forty = new byte[40 * 1024 * 1024];
        foreach (var (input, method, path, chunked) in new[]
        {
            ("a 40 MB body with its length, on POST /api/scans", HttpMethod.Post, "api/scans", false),
            ("a 40 MB body on GET /api/summary", HttpMethod.Get, "api/summary", false),
            ("a 40 MB chunked body on a route that does not exist", HttpMethod.Put, "api/nothing", true),
        })
        {
            var before = await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger);
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(forty) };
            request.Headers.ExpectContinue = true;
            request.Headers.TransferEncodingChunked = chunked;
            using var response = await system.Http.SendAsync(request);
            await RecordAsync(system, Api, input, response, HttpStatusCode.RequestEntityTooLarge, before);
        }

        AssertNoFailures();
    }

    [Fact]
    public async Task ScanStartsAndKeys_AreBounded()
    {
        var machines = new JsonArray(ReliabilityFleet.Vm("victim", "Linux", ReliabilityFleet.Unpatched()));
        for (var i = 0; i < 7; i++)
        {
            machines.Add(ReliabilityFleet.Vm(Invariant($"s-{i}"), "Linux", ReliabilityFleet.Patched()));
        }

        await using (var system = await AppUnderTest.StartAsync(fixture.ConnectionString, FleetOf(machines), settings: ReliabilitySettings.App()))
        {
            await system.ScanAsync();

            var before = await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger);
            var checks = system.Emulator.RunCommands.Count;
            using (var outside = await system.Http.PostAsync("api/scans", Json($$"""{"subscriptions":["{{ReliabilityFleet.Subscription}}","22222222-2222-2222-2222-222222222222"]}""")))
            {
                Check(system.Emulator.RunCommands.Count == checks, "a scan start naming a subscription outside the scope checked machines");
                await RecordAsync(system, Api, "POST /api/scans naming a subscription outside the scope", outside, HttpStatusCode.BadRequest, before);
            }

            // Two starts at once: one is admitted, the other finds it running. The store changes by the admitted scan
            // alone: one scan more, one Run Command per machine.
            var scans = await ScanCountAsync(system);
            checks = system.Emulator.RunCommands.Count;
            var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                using var response = await system.Http.PostAsync("api/scans", Json(string.Empty));
                var body = await response.Content.ReadAsStringAsync();
                return (response.StatusCode, Location: response.Headers.Location?.OriginalString, response.Content.Headers.ContentType?.MediaType, Body: body);
            }));
            var accepted = answers.Where(a => a.StatusCode == HttpStatusCode.Accepted).ToList();
            var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).ToList();
            Check(accepted.Count == 1 && refused.Count == 1, $"two scan starts at once: {string.Join(", ", answers.Select(a => (int)a.StatusCode))}, expected one 202");
            var running = accepted.Count == 1 ? $"/api/scans/{JsonDocument.Parse(accepted[0].Body).RootElement.GetProperty("scanId").GetString()}" : null;
            if (running is not null)
            {
                await AppUnderTest.WaitForScanAsync(system.Http, running["/api/scans/".Length..], TimeSpan.FromMinutes(2));
            }

            var second = refused.Count == 1 ? refused[0] : answers[^1];
            var problem = second.MediaType == "application/problem+json";
            var oneScan = await ScanCountAsync(system) == scans + 1 && system.Emulator.RunCommands.Count == checks + machines.Count;
            Check(second.StatusCode == HttpStatusCode.Conflict && problem, $"the second of two scan starts: {(int)second.StatusCode} {second.MediaType}, expected a 409 problem");
            Check(running is not null && second.Location == running, $"the second of two scan starts: Location {second.Location}, expected {running}");
            Check(oneScan, $"two scan starts at once: {await ScanCountAsync(system) - scans} scans, {system.Emulator.RunCommands.Count - checks} checks, expected 1 and {machines.Count}");
            var conflict = Invariant($"{(int)second.StatusCode} {second.StatusCode}{(problem ? " (problem+json)" : string.Empty)}, Location {(second.Location == running ? "of the running scan" : second.Location)}; one scan ran (the store checked by scan count and Run Commands, the running scan writing meanwhile)");
            fixture.Ledger.Add(new HostileFigures(Api, "two POST /api/scans at once (a start while a scan runs)", conflict, oneScan));
        }

        // Keys, on an address other than loopback: the app checks them.
        await using var keyed = await AppUnderTest.StartAsync(
            fixture.ConnectionString,
            FleetOf(new JsonArray(ReliabilityFleet.Vm("victim", "Linux", ReliabilityFleet.Unpatched()))),
            settings: ReliabilitySettings.App(extra: new Dictionary<string, string?> { ["Compliance:Api:ReadKey"] = ReadKey, ["Compliance:Api:OperatorKey"] = OperatorKey }),
            urls: "http://0.0.0.0:0");
        foreach (var (input, key, expected) in new[]
        {
            ("POST /api/scans without a key (the app listening beyond loopback)", (string?)null, HttpStatusCode.Unauthorized),
            ("POST /api/scans with the read key", ReadKey, HttpStatusCode.Forbidden),
        })
        {
            var before = await StoreSnapshot.TakeAsync(keyed.Verdicts, keyed.Ledger);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/scans") { Content = Json(string.Empty) };
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            using var response = await keyed.Http.SendAsync(request);
            await RecordAsync(keyed, Api, input, response, expected, before);
        }

        // Wrong keys from another address, so the refusals above do not count against it.
        var beforeGuesses = await StoreSnapshot.TakeAsync(keyed.Verdicts, keyed.Ledger);
        using var guesser = LoopbackClient.From(keyed.BaseAddress, "127.0.0.2");
        var statuses = new List<string>();
        for (var guess = 0; guess < WrongKeys; guess++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/compliance");
            request.Headers.Add("X-Api-Key", Invariant($"guess-{guess:D4}-of-the-api-key-000000"));
            using var response = await guesser.SendAsync(request);
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            Check(response.StatusCode != HttpStatusCode.TooManyRequests || response.Headers.RetryAfter?.Delta is not null, $"wrong key {guess}: a 429 without Retry-After");
            statuses.Add(Invariant($"{(int)response.StatusCode} {response.StatusCode}{(problem ? " (problem+json)" : string.Empty)}"));
        }

        var untouched = beforeGuesses == await StoreSnapshot.TakeAsync(keyed.Verdicts, keyed.Ledger);
        var runs = new List<(string Status, int Count)>();
        foreach (var status in statuses)
        {
            if (runs.Count > 0 && runs[^1].Status == status)
            {
                runs[^1] = (status, runs[^1].Count + 1);
            }
            else
            {
                runs.Add((status, 1));
            }
        }

        var expectedRuns = new List<(string, int)> { ("401 Unauthorized (problem+json)", 10), ("429 TooManyRequests (problem+json)", WrongKeys - 10) };
        Check(runs.SequenceEqual(expectedRuns), $"{WrongKeys} wrong keys: {string.Join(", then ", runs.Select(r => Invariant($"{r.Status} x{r.Count}")))}");
        Check(untouched, $"{WrongKeys} wrong keys: the store changed");
        fixture.Ledger.Add(new HostileFigures(
            Api,
            Invariant($"{WrongKeys} requests with wrong keys (X-Api-Key) from one address"),
            string.Join(", then ", runs.Select(r => Invariant($"{r.Status} ×{r.Count}"))) + " (10 failed authentications a minute per address)",
            untouched));
        AssertNoFailures();
    }

    // Writes the message as Event Grid or anyone with access to the queue could, waits until it has left the queue, and
    // records where it went. Poisoned means at once, as not events: a failure would only come back after a minute.
    private async Task DeliverAsync(AppUnderTest system, CapturingLoggerProvider logs, string input, string message, string expected, string? reason)
    {
        var before = await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger);
        var checks = system.Emulator.RunCommands.Count;
        var poisoned = (await system.EventsQueue.PoisonedAsync()).Count;
        string answer;
        try
        {
            var id = await system.EventsQueue.SendAsync(message);
            await system.EventsHandledAsync(_timeout, $"{input} to leave the queue");
            var poison = await system.EventsQueue.PoisonedAsync();
            var refusal = logs.Entries.FirstOrDefault(e => e.EventId.Id == NotEventsLog && ValueOf(e, "MessageId") == id);
            answer = poison.Count == poisoned + 1 && poison.Contains(message) && refusal is not null ? Poisoned
                : poison.Count == poisoned && system.Emulator.RunCommands.Count == checks ? Ignored
                : Invariant($"consumed: {system.Emulator.RunCommands.Count - checks} checks, {poison.Count - poisoned} poisoned");
            Check(reason is null || (ValueOf(refusal, "Reason")?.Contains(reason, StringComparison.Ordinal) ?? false), $"{input}: poisoned for \"{ValueOf(refusal, "Reason")}\", expected \"{reason}\"");
        }
        catch (RequestFailedException ex)
        {
            answer = Invariant($"refused by the storage service ({ex.Status} {ex.ErrorCode})");
        }

        var untouched = before == await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger);
        Check(answer == expected, $"{input}: {answer}, expected {expected}");
        Check(untouched, $"{input}: the store changed");
        fixture.Ledger.Add(new HostileFigures(ResourceChanges, input, answer, untouched));
    }

    private async Task RecordAsync(AppUnderTest system, string area, string input, HttpResponseMessage response, HttpStatusCode expected, string before)
    {
        var status = (int)response.StatusCode;
        var problem = status >= 400 && response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        var untouched = before == await StoreSnapshot.TakeAsync(system.Verdicts, system.Ledger);
        Check(response.StatusCode == expected, $"{input}: {status}, expected {(int)expected}");
        // Kestrel answers a request line over its limit itself, before any app code, with a bare 414.
        Check(status < 400 || problem || response.StatusCode == HttpStatusCode.RequestUriTooLong, $"{input}: {status} without application/problem+json");
        Check(untouched, $"{input}: the store changed");
        var answer = string.Create(CultureInfo.InvariantCulture, $"{status} {response.StatusCode}{(problem ? " (problem+json)" : string.Empty)}");
        fixture.Ledger.Add(new HostileFigures(area, input, answer, untouched));
    }

    private static string Batch(IEnumerable<string> events) => "[" + string.Join(",", events) + "]";

    // The first events of the sequence that fit, as a JSON array, in a message of at most maxBytes.
    private static List<string> EventsUpTo(int maxBytes, Func<int, string> eventAt)
    {
        var events = new List<string>();
        var bytes = 2;
        for (var i = 0; ; i++)
        {
            var next = eventAt(i);
            bytes += Encoding.UTF8.GetByteCount(next) + (i > 0 ? 1 : 0);
            if (bytes > maxBytes)
            {
                return events;
            }

            events.Add(next);
        }
    }

    private static string? ValueOf(CapturedLog? entry, string key) => entry?.State.FirstOrDefault(p => p.Key == key).Value;

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string EventObject(string id, string subject, string? resourceUri = null, string type = "Microsoft.Resources.ResourceWriteSuccess", string operation = "Microsoft.Compute/virtualMachines/write") =>
        new JsonObject
        {
            ["id"] = id,
            ["topic"] = "/subscriptions/11111111-1111-1111-1111-111111111111",
            ["subject"] = subject,
            ["eventType"] = type,
            ["eventTime"] = "2026-11-21T10:00:00Z",
            ["data"] = new JsonObject { ["resourceUri"] = resourceUri ?? subject, ["operationName"] = operation, ["status"] = "Succeeded" },
            ["dataVersion"] = "2",
            ["metadataVersion"] = "1",
        }.ToJsonString();

    // What the machine's stored verdict says, without the check time a re-check refreshes.
    private static async Task<VictimVerdict> VerdictOfVictimAsync(AppUnderTest system)
    {
        var state = (await system.Verdicts.GetStateAsync(_victim, CancellationToken.None))?.State;
        return state is null
            ? new VictimVerdict(false, "none", string.Empty, 0)
            : new VictimVerdict(true, state.Verdict.Status, string.Join(", ", state.Verdict.Findings.Select(f => f.Code)), state.Outbox.Count);
    }

    private static int ChecksOfVictim(AppUnderTest system) =>
        system.Emulator.RunCommands.Count(r => string.Equals(r.ResourceId, _victim, StringComparison.OrdinalIgnoreCase));

    private static async Task<int> ScanCountAsync(AppUnderTest system)
    {
        var count = 0;
        await foreach (var _ in system.Ledger.GetScansAsync(CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string FleetOf(JsonArray vms) => new JsonObject
    {
        ["subscriptions"] = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = ReliabilityFleet.Subscription,
            ["displayName"] = "production",
            ["virtualMachines"] = vms,
        }),
    }.ToJsonString();

    private static async Task<string> GetTextAsync(AppUnderTest system, string path)
    {
        using var response = await system.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    // Cells of a CSV with quoted fields: enough to see how each cell starts.
    private static IEnumerable<string> Cells(string csv)
    {
        foreach (var line in csv.Split('\n').Skip(1))
        {
            foreach (var cell in line.TrimEnd('\r').Split(','))
            {
                yield return cell.Trim('"');
            }
        }
    }

    private void Check(bool condition, string failure)
    {
        if (!condition)
        {
            _failures.Add(failure);
        }
    }

    private void AssertNoFailures() => Assert.True(_failures.Count == 0, string.Join(Environment.NewLine, _failures));
}
