using System.Text;
using System.Text.Json;
using Azure.Core;

namespace Compliance.Azure.Tests.Tables;

/// <summary>
/// A token credential for Azurite's <c>--oauth basic</c>, which checks a token's audience, issuer and lifetime but not
/// its signature: it hands out unsigned JWTs (<c>alg: none</c>) and records the scopes it was asked for.
/// </summary>
internal sealed class UnsignedJwtCredential(string audience, string issuer) : TokenCredential
{
    private readonly List<string> _scopes = [];

    public IReadOnlyList<string> RequestedScopes
    {
        get
        {
            lock (_scopes)
            {
                return [.. _scopes];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_scopes)
        {
            _scopes.AddRange(requestContext.Scopes);
        }

        var now = DateTimeOffset.UtcNow;
        var header = Encode(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" });
        var payload = Encode(new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = issuer,
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            ["oid"] = Guid.NewGuid().ToString(),
        });
        return new AccessToken($"{header}.{payload}.", now.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));

    private static string Encode(Dictionary<string, object> claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(claims))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
