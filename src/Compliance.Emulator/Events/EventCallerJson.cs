using System.Globalization;
using System.Text.Json.Nodes;
using Compliance.Emulator.Arm;

namespace Compliance.Emulator.Events;

/// <summary>
/// The caller's part of a resource event's <c>data</c>: <c>authorization.evidence</c>, the role assignment ARM found
/// for the caller, and <c>claims</c>, the caller's token claims under the names ARM gives them. Field names and order
/// follow the examples of https://learn.microsoft.com/azure/event-grid/event-schema-subscriptions: a person's claims as
/// in its ResourceWriteSuccess example, an application's as in its ResourceActionSuccess example (whose evidence names
/// the <c>principalId</c> and <c>principalType</c>).
/// </summary>
internal static class EventCallerJson
{
    private const string Claims = "http://schemas.microsoft.com/claims/";
    private const string IdentityClaims = "http://schemas.microsoft.com/identity/claims/";
    private const string SoapClaims = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/";

    // The built-in Contributor role: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
    private const string ContributorRoleDefinitionId = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    /// <summary>The role assignment that allowed <paramref name="caller"/> to act in the subscription.</summary>
    public static JsonObject Evidence(EventCaller caller, string subscriptionId)
    {
        // The app holds its own custom role (infra/modules/scannerRole.bicep); people are taken to be Contributors.
        var isApp = caller.PrincipalType == EventCaller.ServicePrincipal;
        var scope = ResourceIds.Subscription(subscriptionId);
        return new JsonObject
        {
            ["role"] = isApp ? $"Compliance scanner ({subscriptionId})" : "Contributor",
            ["roleAssignmentScope"] = scope,

            // Written as 32 hex digits without hyphens, as Azure's activity log shows evidence ids (Microsoft's event
            // samples only have placeholders here), unlike the GUIDs of the claims: receivers must compare them as GUIDs.
            ["roleAssignmentId"] = StableGuid.From("roleAssignment", $"{scope}/{caller.ObjectId}").ToString("N"),
            ["roleDefinitionId"] = (isApp ? StableGuid.From("roleDefinition", scope) : Guid.Parse(ContributorRoleDefinitionId)).ToString("N"),
            ["principalId"] = Guid.Parse(caller.ObjectId).ToString("N"),
            ["principalType"] = caller.PrincipalType,
        };
    }

    /// <summary>The claims of the token the caller presented.</summary>
    /// <param name="caller">Who called.</param>
    /// <param name="eventTime">When the change happened; the token was issued shortly before.</param>
    /// <param name="eventId">The event's id: the token's <c>uti</c> derives from it, so a re-sent event is the same.</param>
    public static JsonObject ClaimsOf(EventCaller caller, DateTimeOffset eventTime, string eventId)
    {
        var issuedAt = eventTime.AddMinutes(-5).ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["aud"] = EmulatorIdentity.Audience,
            ["iss"] = EmulatorIdentity.Issuer,
            ["iat"] = Seconds(issuedAt),
            ["nbf"] = Seconds(issuedAt),
            ["exp"] = Seconds(issuedAt + (long)TimeSpan.FromHours(1).TotalSeconds),
        };
        var tokenId = Convert.ToBase64String(StableGuid.From("uti", eventId).ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (caller.PrincipalType == EventCaller.ServicePrincipal)
        {
            claims["appid"] = caller.ApplicationId;
            claims["appidacr"] = "2";
            claims[$"{IdentityClaims}identityprovider"] = EmulatorIdentity.Issuer;
            claims[EventCaller.ObjectIdClaim] = caller.ObjectId;
            claims[$"{SoapClaims}nameidentifier"] = caller.ObjectId;
        }
        else
        {
            claims[$"{Claims}authnclassreference"] = "1";
            claims[$"{Claims}authnmethodsreferences"] = "pwd,mfa";
            claims["appid"] = caller.ApplicationId;
            claims["appidacr"] = "0";
            claims["ipaddr"] = "127.0.0.1";
            claims["name"] = "Operator";
            claims[EventCaller.ObjectIdClaim] = caller.ObjectId;
            claims[$"{IdentityClaims}scope"] = "user_impersonation";

            // A person's subject is pairwise, not their object id.
            claims[$"{SoapClaims}nameidentifier"] = StableGuid.From("sub", caller.ObjectId).ToString("N");
        }

        claims[$"{IdentityClaims}tenantid"] = ArmJson.TenantId;
        if (caller.PrincipalType != EventCaller.ServicePrincipal)
        {
            claims[$"{SoapClaims}name"] = "operator@example.com";
            claims[$"{SoapClaims}upn"] = "operator@example.com";
        }

        claims["uti"] = tokenId;
        claims["ver"] = "1.0";
        return claims;
    }

    private static string Seconds(long unixSeconds) => unixSeconds.ToString(CultureInfo.InvariantCulture);
}
