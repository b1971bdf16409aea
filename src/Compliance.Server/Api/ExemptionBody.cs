using System.Text.Json;
using Compliance.Core.Exemptions;

namespace Compliance.Server.Api;

/// <summary>
/// Reads the body of <c>PUT /api/exemptions/{id}</c>: a JSON object <c>{scope, category, actions, findingCodes,
/// expiresOn, justification}</c>. A body that is not such an object is refused with the field it went wrong at.
/// </summary>
public static class ExemptionBody
{
    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The request in <paramref name="body"/>, or <see langword="null"/> with the problems by field.</summary>
    public static ExemptionRequest? TryParse(string body, out IReadOnlyDictionary<string, string[]>? errors)
    {
        errors = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            errors = new Dictionary<string, string[]> { ["body"] = ["is empty: send a JSON object with scope, category, actions and/or findingCodes, expiresOn and justification"] };
            return null;
        }

        try
        {
            var request = JsonSerializer.Deserialize<ExemptionRequest>(body, _options);
            if (request is null)
            {
                errors = new Dictionary<string, string[]> { ["body"] = ["must be a JSON object"] };
            }

            return request;
        }
        catch (JsonException ex)
        {
            // The path names the field; the caller's text is not echoed.
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.').Split('[')[0];
            errors = new Dictionary<string, string[]>
            {
                [field.Length == 0 ? "body" : field] = ["is not valid here: the body is {\"scope\": string, \"category\": \"Waiver\"|\"Mitigated\", \"actions\": [string], \"findingCodes\": [string], \"expiresOn\": ISO 8601 time or null, \"justification\": string}, and nothing else"],
            };
            return null;
        }
    }
}
