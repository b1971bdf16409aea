using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Compliance.Functions.Hosting;

/// <summary>
/// The caller App Service Authentication signed in, as the platform passes it to the app: the header
/// <c>X-MS-CLIENT-PRINCIPAL</c>, Base64 of JSON <c>{"auth_typ", "claims": [{"typ", "val"}], "name_typ", "role_typ"}</c>
/// (Azure App Service, "Work with user identities in AuthN/AuthZ"). Entra ID's app roles arrive as claims of type
/// <c>roles</c>. The platform removes any <c>X-MS-CLIENT-PRINCIPAL</c> a client sends only while App Service
/// Authentication is on, so the header is read only in <see cref="Compliance.Server.Hosting.ApiAuthentication.AppService"/> mode.
/// </summary>
internal sealed record AppServicePrincipal(string AuthenticationType, IReadOnlySet<string> Roles)
{
    // Entra ID's object id, in the form App Service passes it and in the token's own.
    private static readonly string[] _objectIdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

    /// <summary>
    /// Who it is, as an audit record names them: the name claim and the object id (<c>name (oid)</c>), either alone, or
    /// <see langword="null"/> when the principal carries neither.
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>The header the platform writes the principal to.</summary>
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    // Entra ID's app roles; role_typ names the type the identity provider uses for roles, when it says.
    private const string RolesClaim = "roles";

    /// <summary>The principal of <paramref name="request"/>, or <see langword="null"/> when there is none or it cannot be read.</summary>
    public static AppServicePrincipal? Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request.Headers[Header].ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(value)));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("auth_typ", out var authType) || authType.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            var nameType = root.TryGetProperty("name_typ", out var nt) && nt.ValueKind == JsonValueKind.String ? nt.GetString() : null;
            string? name = null, objectId = null;
            var roles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind == JsonValueKind.Object
                    && claim.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String
                    && claim.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String
                    && (typ.ValueEquals(RolesClaim) || (roleType is not null && typ.ValueEquals(roleType))))
                {
                    roles.Add(val.GetString()!);
                }
                else if (claim.ValueKind == JsonValueKind.Object
                    && claim.TryGetProperty("typ", out var t) && t.ValueKind == JsonValueKind.String
                    && claim.TryGetProperty("val", out var v) && v.ValueKind == JsonValueKind.String)
                {
                    if (name is null && (t.ValueEquals("name") || (nameType is not null && t.ValueEquals(nameType))))
                    {
                        name = v.GetString();
                    }
                    else if (objectId is null && _objectIdClaims.Any(c => t.ValueEquals(c)))
                    {
                        objectId = v.GetString();
                    }
                }
            }

            var identity = (name, objectId) switch
            {
                ({ Length: > 0 }, { Length: > 0 }) => $"{name} ({objectId})",
                ({ Length: > 0 }, _) => name,
                (_, { Length: > 0 }) => objectId,
                _ => null,
            };
            return new AppServicePrincipal(authType.GetString()!, roles) { Identity = identity };
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }
}
