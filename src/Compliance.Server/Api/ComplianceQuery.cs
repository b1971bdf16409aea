using System.Text;
using System.Text.RegularExpressions;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;

namespace Compliance.Server.Api;

/// <summary>
/// The filters and paging of <c>GET /api/compliance</c> and <c>/api/compliance.csv</c>, read strictly from the query
/// string: unknown or repeated parameters, lists (<c>status=ActionRequired,Unknown</c>) and invalid values (numbers,
/// names not defined) are refused with a message that says what is allowed; every filter takes one value.
/// Status, action and subscription are filtered by the store; resource group, OS and finding code on the way out.
/// </summary>
internal sealed partial record ComplianceQuery(
    string? Status,
    string? Action,
    string? Subscription,
    string? ResourceGroup,
    string? Os,
    string? Finding,
    int PageSize,
    string? After)
{
    public const int DefaultPageSize = 100;

    private const string TokenPrefix = "v1:";
    private const int MaxTokenLength = 4096;

    private static readonly string[] _filters = ["status", "action", "subscription", "resourceGroup", "os", "finding"];
    private static readonly string[] _paging = ["pageSize", "continuationToken"];

    public StateQuery StoreQuery => new() { Status = Status, Action = Action, SubscriptionId = Subscription, AfterResourceId = After };

    public bool Matches(ReportResource resource) =>
        (ResourceGroup is null || string.Equals(resource.ResourceGroup, ResourceGroup, StringComparison.OrdinalIgnoreCase))
        && (Os is null || string.Equals(resource.Os ?? "none", Os, StringComparison.OrdinalIgnoreCase))
        && (Finding is null || resource.Findings.Any(f => string.Equals(f.Code, Finding, StringComparison.Ordinal)));

    public static bool TryParse(IQueryCollection query, bool paged, int maxPageSize, out ComplianceQuery result, out string? error)
    {
        result = new ComplianceQuery(null, null, null, null, null, null, DefaultPageSize, null);
        var allowed = paged ? _filters.Concat(_paging).ToArray() : _filters;
        foreach (var key in query.Keys)
        {
            if (!allowed.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                error = $"Unknown parameter '{Printable(key)}'. Allowed: {string.Join(", ", allowed)}.";
                return false;
            }

            if (query[key].Count > 1)
            {
                error = $"Parameter '{key}' is given more than once: each parameter takes one value (for several, make one request per value).";
                return false;
            }

            if (key is not null && _filters.Contains(key, StringComparer.OrdinalIgnoreCase) && query[key].ToString().Contains(',', StringComparison.Ordinal))
            {
                error = $"Parameter '{key}' takes one value, not a list: for several values, make one request per value.";
                return false;
            }
        }

        string? Value(string name) => query.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;

        error = null;
        var status = Value("status");
        if (status is not null && !TryEnum<ComplianceStatus>(status, out status))
        {
            error = $"status must be one of {string.Join(", ", Enum.GetNames<ComplianceStatus>())}.";
            return false;
        }

        var action = Value("action");
        if (action is not null && !TryEnum<RemediationAction>(action, out action))
        {
            error = $"action must be one of {string.Join(", ", Enum.GetNames<RemediationAction>())}.";
            return false;
        }

        var subscription = Value("subscription");
        if (subscription is not null)
        {
            if (!Guid.TryParse(subscription, out var id))
            {
                error = "subscription must be a subscription id (a GUID).";
                return false;
            }

            subscription = id.ToString();
        }

        var resourceGroup = Value("resourceGroup");
        if (resourceGroup is not null && !ResourceGroupPattern().IsMatch(resourceGroup))
        {
            error = "resourceGroup must be a resource group name (1-90 letters, digits, '-', '_', '.', '(' or ')').";
            return false;
        }

        var os = Value("os");
        if (os is not null)
        {
            if (!TryEnum<OsType>(os, out var parsedOs) && !string.Equals(os, "none", StringComparison.OrdinalIgnoreCase))
            {
                error = "os must be Windows, Linux or none (resources ARM reports no OS for: Cloud Services).";
                return false;
            }

            os = parsedOs ?? "none";
        }

        var finding = Value("finding");
        if (finding is not null)
        {
            if (!FindingPattern().IsMatch(finding))
            {
                error = "finding must be a finding code such as GUEST_UPDATE_MISSING.";
                return false;
            }

            finding = finding.ToUpperInvariant();
        }

        var pageSize = DefaultPageSize;
        if (Value("pageSize") is { } size && (!int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > maxPageSize))
        {
            error = $"pageSize must be a whole number from 1 to {maxPageSize}.";
            return false;
        }

        string? after = null;
        if (Value("continuationToken") is { } token && !TryDecode(token, out after))
        {
            error = "continuationToken is not a token this API returned.";
            return false;
        }

        result = new ComplianceQuery(status, action, subscription, resourceGroup, os, finding, Math.Min(pageSize, maxPageSize), after);
        return true;
    }

    /// <summary>The token that continues after <paramref name="resourceId"/>: opaque to callers, checked when it comes back.</summary>
    public static string Encode(string resourceId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(TokenPrefix + resourceId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string token, out string? resourceId)
    {
        resourceId = null;
        if (token.Length is 0 or > MaxTokenLength)
        {
            return false;
        }

        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            if (!text.StartsWith(TokenPrefix, StringComparison.Ordinal))
            {
                return false;
            }

            resourceId = new ResourceId(text[TokenPrefix.Length..]).Value;
            return ResourceKey.RowKey(new ResourceId(resourceId)).Length > 0;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }
    }

    // By name only, exactly one of the defined names: Enum.TryParse would also take numbers ("4") and comma lists, which
    // it reads as flags ("ActionRequired,Unknown" is 1 | 2, Exempt).
    private static bool TryEnum<T>(string value, out string? canonical)
        where T : struct, Enum
    {
        canonical = Enum.GetNames<T>().FirstOrDefault(name => string.Equals(name, value, StringComparison.OrdinalIgnoreCase));
        return canonical is not null;
    }

    private static string Printable(string text) => text.Length > 40 ? text[..40] + "…" : new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex(@"^[-\w._()]{1,90}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ResourceGroupPattern();

    [GeneratedRegex("^[A-Za-z_]{3,64}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex FindingPattern();
}
