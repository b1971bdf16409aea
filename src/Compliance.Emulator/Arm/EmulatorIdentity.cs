using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The managed identity the app under test calls the emulator as, and the bearer token that says so. The token is shaped
/// like the ARM token of a managed identity (a JWT whose payload carries <c>oid</c>, <c>tid</c>, <c>appid</c>,
/// <c>aud</c>, <c>iss</c>), so that whoever reads their own identity from it finds it there as in Azure. It is not
/// signed: the emulator listens on loopback only and compares the whole token byte for byte.
/// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
/// </summary>
internal static class EmulatorIdentity
{
    /// <summary>The object id (<c>oid</c>) of the identity.</summary>
    public const string ObjectId = "3e6f2a9c-81d4-4b57-a0c3-5f9e7d21b846";

    /// <summary>The application id (<c>appid</c>) of the identity.</summary>
    public const string ApplicationId = "5b8f1c3e-2d4a-4f6b-9c7e-1a3d5f7b9e20";

    /// <summary>The audience of ARM tokens.</summary>
    public const string Audience = "https://management.azure.com/";

    /// <summary>The issuer of the tenant's v1 tokens, as ARM tokens carry it.</summary>
    public const string Issuer = $"https://sts.windows.net/{ArmJson.TenantId}/";

    public static EventCaller Caller { get; } = EventCaller.Application(ObjectId, ApplicationId);

    /// <summary>
    /// A new token for the identity, valid for a day from <paramref name="now"/>. Its <c>uti</c> is random, so each
    /// start of the emulator has a token of its own that cannot be guessed.
    /// </summary>
    public static string NewAccessToken(DateTimeOffset now)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "none" };
        var issuedAt = now.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["aud"] = Audience,
            ["iss"] = Issuer,
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = issuedAt + (long)TimeSpan.FromDays(1).TotalSeconds,
            ["appid"] = ApplicationId,
            ["appidacr"] = "2",
            ["idp"] = Issuer,
            ["idtyp"] = "app",
            ["oid"] = ObjectId,
            ["sub"] = ObjectId,
            ["tid"] = ArmJson.TenantId,
            ["uti"] = Base64Url(RandomNumberGenerator.GetBytes(32)),
            ["ver"] = "1.0",
        };

        // An unsecured JWT has an empty signature: "header.payload." (RFC 7519 section 6.1).
        return $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
