using System.Net.Http.Headers;
using System.Text;

namespace Compliance.Emulator.Tests;

/// <summary>
/// Raw HTTPS calls to an emulator with its token, for tests that check headers and bodies byte for byte.
/// </summary>
internal sealed class ArmHttp(ArmEmulator emulator) : IDisposable
{
    public const string ApiVersion = "api-version=2023-07-01";

    private readonly HttpClient _http = new(ArmClientFactory.PinnedHandler(emulator));

    public static string VmPath(string name, string resourceGroup = "rg", string subscriptionId = TestFleets.SubscriptionId) =>
        $"subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachines/{name}";

    public Task<ArmAnswer> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery);

    /// <summary>Starts a Run Command (Windows machines; the tests' fleets are Windows unless they say otherwise).</summary>
    public Task<ArmAnswer> RunCommandAsync(string vmPath, string commandId = "RunPowerShellScript") =>
        SendAsync(HttpMethod.Post, $"{vmPath}/runCommand?{ApiVersion}", $$"""{"commandId":"{{commandId}}","script":["hostname"]}""");

    public async Task<ArmAnswer> SendAsync(HttpMethod method, string pathAndQuery, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(emulator.Endpoint, pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", emulator.AccessToken);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(",", values);
        }

        return new ArmAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One answer of the emulator: status, body text and headers (repeated ones joined with commas).</summary>
internal sealed record ArmAnswer(int Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
