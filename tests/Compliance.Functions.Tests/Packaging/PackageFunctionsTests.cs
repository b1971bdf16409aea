using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Compliance.Functions.Invocations;

namespace Compliance.Functions.Tests.Packaging;

/// <summary>
/// The deployable zip that <c>tools/package-functions.sh</c> builds: the layout the Functions host expects, the handler's
/// run bit, and every <c>function.json</c> naming a route the app serves.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PackageFunctionsTests(AzuriteFixture azurite)
{
    private const int RunBits = 0b001_001_001;

    [Fact]
    public async Task Package_Zip_HostLayoutAndEveryFunctionRouted()
    {
        var folder = Directory.CreateTempSubdirectory("compliance-package-");
        try
        {
            var zipPath = Path.Combine(folder.FullName, "functions.zip");
            await RunPackagingAsync(zipPath);
            using var zip = ZipFile.OpenRead(zipPath);
            var entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);

            // host.json at the root names the handler, which is in the zip and executable.
            using var host = JsonDocument.Parse(Read(entries["host.json"]));
            var customHandler = host.RootElement.GetProperty("customHandler");
            var executable = customHandler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
            Assert.Equal("app/Compliance.Functions", executable);
            var handler = entries[executable];
            Assert.Equal(RunBits, (handler.ExternalAttributes >> 16) & RunBits);
            Assert.True(customHandler.GetProperty("enableForwardingHttpRequest").GetBoolean());
            Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.RootElement.GetProperty("extensionBundle").GetProperty("id").GetString());
            Assert.Equal("[4.*, 5.0.0)", host.RootElement.GetProperty("extensionBundle").GetProperty("version").GetString());
            Assert.Contains("app/Compliance.Functions.dll", entries.Keys);

            // One folder per function at the root, the same as in the source.
            var definitions = entries.Keys.Where(k => k.EndsWith("/function.json", StringComparison.Ordinal)).ToList();
            Assert.All(definitions, d => Assert.Equal(2, d.Split('/').Length));
            var functions = definitions.Select(d => d.Split('/')[0]).Order(StringComparer.Ordinal).ToList();
            var sources = Directory.GetDirectories(RepositoryFiles.PathOf("src", "Compliance.Functions", "Functions")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.Equal(sources, functions);
            Assert.Contains(FunctionNames.ScheduledScan, functions);
            Assert.Contains(FunctionNames.CheckMachines, functions);
            Assert.Contains(FunctionNames.ResourceChanged, functions);
            Assert.Contains(FunctionNames.ComplianceApi, functions);

            await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), hosted: true);
            var queues = new List<(string Function, string Direction, string Queue)>();
            foreach (var function in functions)
            {
                using var definition = JsonDocument.Parse(Read(entries[$"{function}/function.json"]));
                var bindings = definition.RootElement.GetProperty("bindings").EnumerateArray().ToList();
                Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "in" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
                queues.AddRange(bindings
                    .Where(b => b.GetProperty("type").GetString() is "queue" or "queueTrigger")
                    .Select(b => (function, b.GetProperty("direction").GetString()!, b.GetProperty("queueName").GetString()!)));

                if (IsForwardedHttp(bindings))
                {
                    // The host forwards the request as is to the same path: the app must serve it.
                    var trigger = bindings[0];
                    Assert.Contains(trigger.GetProperty("authLevel").GetString(), new[] { "function", "anonymous" });
                    var route = trigger.GetProperty("route").GetString()!.Replace("{*path}", "summary", StringComparison.Ordinal);
                    foreach (var method in trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))
                    {
                        using var response = await app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"api/{route}"));
                        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function}: {method} /api/{route} answered {(int)response.StatusCode}.");
                    }
                }
                else
                {
                    // Everything else arrives as an invocation posted to /{FunctionName}: an empty one is refused, not unknown.
                    using var response = await app.Http.PostAsync($"/{function}", new StringContent("""{"Data":{},"Metadata":{}}""", Encoding.UTF8, "application/json"));
                    await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.BadRequest);
                }
            }

            // The fan-out: what the timer and the on-demand scan write is what the checker reads.
            Assert.All(queues, q => Assert.Equal(FunctionNames.BatchQueue, q.Queue));
            Assert.Contains(queues, q => q is { Function: "ScheduledScan", Direction: "out" });
            Assert.Contains(queues, q => q is { Function: "StartScan", Direction: "out" });
            Assert.Contains(queues, q => q is { Function: "CheckMachines", Direction: "in" });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // The host forwards the raw request only for exactly one httpTrigger in and one http out.
    private static bool IsForwardedHttp(List<JsonElement> bindings) =>
        bindings.Count == 2
        && bindings[0].GetProperty("type").GetString() == "httpTrigger"
        && bindings[1].GetProperty("type").GetString() == "http";

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static async Task RunPackagingAsync(string zipPath)
    {
        var start = new ProcessStartInfo("bash", [RepositoryFiles.PathOf("tools", "package-functions.sh"), zipPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.Root,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"package-functions.sh failed ({process.ExitCode}):\n{await output}\n{await error}");
        Assert.True(File.Exists(zipPath), await output);
    }
}
