using System.Net;
using Compliance.Server.Hosting;
using Compliance.Server.Tests.Api;

namespace Compliance.Server.Tests.Hosting;

/// <summary>
/// Malformed requests on serve's app over HTTP: oversized bodies (with a length and chunked), invalid Unicode in the
/// path and the query, lists and numbers in the filters. Each is a 4xx problem, never a 500, never read whole.
/// </summary>
public sealed class RequestInputTests(ScannedAppFixture fixture) : IClassFixture<ScannedAppFixture>
{
    private const long FortyMegabytes = 40L * 1024 * 1024;

    private readonly AppUnderTest _app = fixture.App;

    [Theory]
    [InlineData("POST", "api/scans", true, 413)]
    [InlineData("POST", "api/scans", false, 413)]
    [InlineData("GET", "api/summary", true, 413)]
    [InlineData("GET", "api/compliance", false, 413)]
    [InlineData("GET", "api/compliance.csv", true, 413)]
    [InlineData("GET", "api/dashboard", false, 413)]
    [InlineData("GET", "api/scans", true, 413)]
    [InlineData("POST", "api/nothing", true, 413)]
    [InlineData("PUT", "api/nothing", false, 413)]
    [InlineData("PUT", "api/exemptions/w1", true, 413)]
    [InlineData("PUT", "api/exemptions/w1", false, 413)]
    [InlineData("POST", "api/summary", true, 413)]
    // Without a length, the body is refused only as it is read; a route that takes no POST says so first.
    [InlineData("POST", "api/summary", false, 405)]
    public async Task Body_FortyMegabytes_413ProblemWithoutReadingItWhole(string method, string path, bool withLength, int expected)
    {
        var before = (await _app.GetJsonAsync("api/scans")).GetArrayLength();

        var (status, contentType, body, sent) = await SendRawAsync(_app.BaseAddress, method, path, withLength, FortyMegabytes);

        Assert.True(status == expected, $"{method} {path}: {status} {body}");
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains($"\"status\":{expected}", body, StringComparison.Ordinal);
        Assert.True(sent < FortyMegabytes / 4, $"{sent} bytes of the body were taken before the answer.");
        Assert.Equal(before, (await _app.GetJsonAsync("api/scans")).GetArrayLength());
    }

    [Fact]
    public async Task Get_SmallBody_413Problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/summary") { Content = new StringContent("{}") };
        using var response = await _app.Http.SendAsync(request);

        var detail = await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("takes no body", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/compliance?status=%FF")]
    [InlineData("api/compliance?resourceGroup=rg%ED%A0%80")]
    [InlineData("api/compliance?finding=%C0%AF")]
    [InlineData("api/compliance?%FF=1")]
    [InlineData("api/compliance.csv?resourceGroup=%ED%A0%80")]
    [InlineData("api/compliance.csv?resourceGroup=%EF%BF%BD")]
    [InlineData("api/compliance/subscriptions/%ED%A0%80/resourceGroups/rg")]
    [InlineData("api/compliance/%FF")]
    [InlineData("api/compliance/subscriptions%2F%ED%A0%80")]
    [InlineData("api/compliance/subscriptions%252F%25ED%25A0%2580")]
    [InlineData("api/scans/%ED%A0%80")]
    [InlineData("api/scans/scan-%FF")]
    [InlineData("api/scans?top=%FF")]
    [InlineData("api/summary?x=%80")]
    [InlineData("api/nothing/%ED%A0%80")]
    public async Task Get_InvalidUnicode_400ProblemNeverAChangedFilter(string path)
    {
        using var response = await _app.Http.GetAsync(path);

        var detail = await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(RequestInput.InvalidUnicode, detail);
    }

    [Theory]
    [InlineData("api/compliance?status=ActionRequired,Unknown", "takes one value, not a list")]
    [InlineData("api/compliance?status=ActionRequired%2CUnknown", "takes one value, not a list")]
    [InlineData("api/compliance.csv?status=Compliant,ActionRequired", "takes one value, not a list")]
    [InlineData("api/compliance?action=GuestUpdate,KvaShadowing", "takes one value, not a list")]
    [InlineData("api/compliance?os=Windows,Linux", "takes one value, not a list")]
    [InlineData("api/compliance?finding=A_B,C_D", "takes one value, not a list")]
    [InlineData("api/compliance?status=ActionRequired&status=Unknown", "one request per value")]
    [InlineData("api/compliance?status=4", "status must be one of")]
    [InlineData("api/compliance?status=%2B1", "status must be one of")]
    [InlineData("api/compliance?status=%201", "status must be one of")]
    [InlineData("api/compliance?status=Compliant%20", "status must be one of")]
    [InlineData("api/compliance?action=0", "action must be one of")]
    [InlineData("api/compliance?os=1", "os must be")]
    [InlineData("api/compliance?pageSize=%D9%A3", "pageSize must be")]
    [InlineData("api/compliance?pageSize=1%2C000", "pageSize must be")]
    [InlineData("api/scans?top=1,2", "top must be")]
    [InlineData("api/scans?top=1&top=2", "top must be")]
    public async Task Get_ListsNumbersAndFlags_400ProblemSayingWhy(string path, string expected)
    {
        using var response = await _app.Http.GetAsync(path);

        var detail = await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rg-app%E2%82%AC", true)]
    [InlineData("%F0%9F%98%80", true)]
    [InlineData("%ED%A0%80", false)]
    [InlineData("%ED%B0%80", false)]
    [InlineData("%C0%AF", false)]
    [InlineData("%F8%88%80%80%80", false)]
    [InlineData("%FF", false)]
    [InlineData("%E2%82", false)]
    [InlineData("\uD800", false)]
    [InlineData("\uDE00x", false)]
    [InlineData("\uD83D\uDE00", true)]
    [InlineData("%", true)]
    [InlineData("%zz", true)]
    public void IsValidTarget_EncodedUtf8_OnlyValidTextPasses(string target, bool expected) =>
        Assert.Equal(expected, RequestInput.IsValidTarget("/api/compliance?resourceGroup=" + target));

    // HttpClient gives up with a broken pipe when the server answers before the body is sent, as it should here; a
    // socket shows what the server answered and how much of the body it took.
    private static async Task<(int Status, string? ContentType, string Body, long Sent)> SendRawAsync(Uri baseAddress, string method, string path, bool withLength, long length)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var stream = client.GetStream();
        var head = $"{method} /{path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\n"
            + (withLength ? $"Content-Length: {length}\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head), timeout.Token);

        var received = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, n);
                if (Response(received.ToArray()) is not null)
                {
                    return;
                }
            }
        });

        long sent = 0;
        var chunk = new byte[64 * 1024];
        var chunkHead = System.Text.Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n");
        var crlf = "\r\n"u8.ToArray();
        try
        {
            while (sent < length && !reading.IsCompleted)
            {
                if (!withLength)
                {
                    await stream.WriteAsync(chunkHead, timeout.Token);
                }

                await stream.WriteAsync(chunk, timeout.Token);
                if (!withLength)
                {
                    await stream.WriteAsync(crlf, timeout.Token);
                }

                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            // The server closed the connection after answering.
        }

        await reading;
        var response = Response(received.ToArray()) ?? throw new InvalidOperationException($"No complete response: {System.Text.Encoding.UTF8.GetString(received.ToArray())}");
        return (response.Status, response.ContentType, response.Body, sent);
    }

    // The status, content type and body of an HTTP/1.1 response with a Content-Length, once all of it is there.
    private static (int Status, string? ContentType, string Body)? Response(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var lines = text[..end].Split("\r\n");
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();
        var length = int.Parse(Header("Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var body = text[(end + 4)..];
        var chunked = Header("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        return System.Text.Encoding.UTF8.GetByteCount(body) < length || (chunked && !body.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
            ? null
            : (int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), Header("Content-Type")?.Split(';')[0], body);
    }
}
