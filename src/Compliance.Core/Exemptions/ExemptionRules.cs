using System.Text.RegularExpressions;
using Compliance.Core.Rules;

namespace Compliance.Core.Exemptions;

/// <summary>
/// The one validation of an exemption, for the API and the command line alike: each problem is reported under the field
/// it concerns, with a message that says what is accepted. Nothing a caller sent is echoed back.
/// </summary>
public static partial class ExemptionRules
{
    /// <summary>The most characters of a justification.</summary>
    public const int MaxJustification = 1000;

    /// <summary>The most finding codes one exemption lists.</summary>
    public const int MaxFindingCodes = 50;

    /// <summary>Whether <paramref name="id"/> is a valid exemption id: a letter or digit, then up to 63 of letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>
    /// Checks <paramref name="request"/> for the exemption <paramref name="id"/> at <paramref name="now"/>. Returns the
    /// exemption's content (the id, scope, category, actions, codes, expiry, justification; the authorship fields are
    /// left for the caller), or <see langword="null"/> with the problems by field.
    /// </summary>
    public static Exemption? Validate(string? id, ExemptionRequest? request, DateTimeOffset now, out IReadOnlyDictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!IsValidId(id))
        {
            problems["id"] = ["must start with a letter or digit and hold at most 64 of letters, digits, '.', '_' and '-'"];
        }

        if (request is null)
        {
            problems["body"] = ["must be a JSON object with scope, category, actions and/or findingCodes, expiresOn and justification"];
            errors = problems;
            return null;
        }

        var scope = ExemptionScope.Normalize(request.Scope, out var scopeError);
        if (scope is null)
        {
            problems["scope"] = [scopeError!];
        }

        ExemptionCategory category = default;
        if (request.Category is null
            || !Enum.TryParse(request.Category, ignoreCase: true, out category)
            || !Enum.IsDefined(category)
            || request.Category.Any(char.IsDigit))
        {
            problems["category"] = ["must be Waiver or Mitigated"];
        }

        var actions = new List<string>();
        foreach (var action in request.Actions ?? [])
        {
            if (action is null || !Enum.TryParse<RemediationAction>(action, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || action.Any(char.IsDigit))
            {
                problems["actions"] = [$"each must be one of {string.Join(", ", Enum.GetNames<RemediationAction>())}"];
                break;
            }

            if (!actions.Contains(parsed.ToString()))
            {
                actions.Add(parsed.ToString());
            }
        }

        var codes = new List<string>();
        foreach (var code in request.FindingCodes ?? [])
        {
            if (code is null || !CodePattern().IsMatch(code))
            {
                problems["findingCodes"] = ["each must be a finding code such as GUEST_UPDATE_MISSING (upper-case letters, digits and '_', at most 64)"];
                break;
            }

            if (!codes.Contains(code, StringComparer.Ordinal))
            {
                codes.Add(code);
            }
        }

        if (codes.Count > MaxFindingCodes)
        {
            problems["findingCodes"] = [$"at most {MaxFindingCodes} codes"];
        }

        if (actions.Count + codes.Count == 0 && !problems.ContainsKey("actions") && !problems.ContainsKey("findingCodes"))
        {
            problems["actions"] = ["list at least one action or finding code (actions, findingCodes)"];
        }

        if (request.ExpiresOn is { } expires && expires <= now)
        {
            problems["expiresOn"] = ["must lie in the future"];
        }

        var justification = request.Justification?.Trim() ?? string.Empty;
        if (justification.Length is 0 or > MaxJustification)
        {
            problems["justification"] = [$"is required: 1 to {MaxJustification} characters"];
        }
        else if (justification.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            problems["justification"] = ["must not hold control characters"];
        }

        errors = problems;
        if (problems.Count > 0)
        {
            return null;
        }

        return new Exemption(id!, scope!, category, actions, codes, request.ExpiresOn?.ToUniversalTime(), justification, string.Empty, now, string.Empty, now);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,63}\\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodePattern();
}
