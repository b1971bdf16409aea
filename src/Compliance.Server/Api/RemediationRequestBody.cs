using System.Text.Json;
using System.Xml;
using Compliance.Core.Remediation;
using Compliance.Core.Rules;

namespace Compliance.Server.Api;

/// <summary>
/// The body of <c>POST /api/remediations</c>: <c>{"action", "filter": {"subscription", "resourceGroup", "resourceIds",
/// "os", "finding"}, "rebootSetting", "maximumDuration", "scripts"}</c>; only <c>action</c> is required. Every value
/// is checked for its shape here, so nothing a caller wrote reaches the store but ids, names and codes of known forms.
/// </summary>
public static class RemediationRequestBody
{
    private const int MaxResourceIds = 1000;
    private const int MaxScripts = 20;
    private const int MaxNameLength = 100;

    private static readonly HashSet<string> _properties = new(StringComparer.Ordinal) { "action", "filter", "rebootSetting", "maximumDuration", "scripts" };
    private static readonly HashSet<string> _filterProperties = new(StringComparer.Ordinal) { "subscription", "resourceGroup", "resourceIds", "os", "finding" };

    /// <summary>Reads <paramref name="body"/>; <see langword="false"/> with a message a caller can act on when it is not a plan request.</summary>
    public static bool TryParse(string? body, out RemediationRequest request, out string? error)
    {
        request = new RemediationRequest(RemediationAction.GuestUpdate, RemediationFilter.All);
        error = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            error = "The body must be a JSON object with at least \"action\" (GuestUpdate, KvaShadowing or MitigationSettings).";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body must be a JSON object.";
                return false;
            }

            error = Unknown(root, _properties);
            if (error is not null)
            {
                return false;
            }

            if (!root.TryGetProperty("action", out var actionValue) || actionValue.ValueKind != JsonValueKind.String
                || !TryName<RemediationAction>(actionValue.GetString(), out var action))
            {
                error = "\"action\" must be GuestUpdate, KvaShadowing or MitigationSettings.";
                return false;
            }

            RebootSetting? reboot = null;
            if (root.TryGetProperty("rebootSetting", out var rebootValue) && rebootValue.ValueKind != JsonValueKind.Null)
            {
                if (rebootValue.ValueKind != JsonValueKind.String || !TryName<RebootSetting>(rebootValue.GetString(), out var r))
                {
                    error = "\"rebootSetting\" must be IfRequired or Never.";
                    return false;
                }

                reboot = r;
            }

            TimeSpan? duration = null;
            if (root.TryGetProperty("maximumDuration", out var durationValue) && durationValue.ValueKind != JsonValueKind.Null)
            {
                if (durationValue.ValueKind != JsonValueKind.String || !TryDuration(durationValue.GetString(), out var d))
                {
                    error = "\"maximumDuration\" must be a duration such as PT2H or 02:00:00.";
                    return false;
                }

                duration = d;
            }

            var scripts = new List<string>();
            if (root.TryGetProperty("scripts", out var scriptsValue) && scriptsValue.ValueKind != JsonValueKind.Null)
            {
                if (!TryNames(scriptsValue, MaxScripts, IsName, scripts))
                {
                    error = $"\"scripts\" must be an array of at most {MaxScripts} script names (letters, digits, '-', '_' and '.').";
                    return false;
                }
            }

            var filter = RemediationFilter.All;
            if (root.TryGetProperty("filter", out var filterValue) && filterValue.ValueKind != JsonValueKind.Null)
            {
                if (!TryFilter(filterValue, out filter, out error))
                {
                    return false;
                }
            }

            request = new RemediationRequest(action, filter, reboot, duration, scripts);
            return true;
        }
        catch (JsonException ex)
        {
            error = $"The body is not JSON: {ex.Message}";
            return false;
        }
        catch (InvalidOperationException)
        {
            error = "The body holds a string that is not valid Unicode.";
            return false;
        }
    }

    /// <summary>A duration as ISO 8601 (<c>PT2H</c>) or <c>hh:mm:ss</c>.</summary>
    public static bool TryDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return false;
        }

        if (text.StartsWith('P'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        return TimeSpan.TryParseExact(text, @"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture, out duration);
    }

    private static bool TryFilter(JsonElement value, out RemediationFilter filter, out string? error)
    {
        filter = RemediationFilter.All;
        error = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = "\"filter\" must be an object.";
            return false;
        }

        error = Unknown(value, _filterProperties);
        if (error is not null)
        {
            return false;
        }

        string? subscription = null;
        if (Text(value, "subscription") is { } s)
        {
            if (!Guid.TryParse(s, out var id))
            {
                error = "\"filter.subscription\" must be a subscription id (a GUID).";
                return false;
            }

            subscription = id.ToString();
        }

        var group = Text(value, "resourceGroup");
        if (group is not null && !IsResourceGroup(group))
        {
            error = "\"filter.resourceGroup\" must be a resource group name (1 to 90 letters, digits, '-', '_', '.' or '(', ')').";
            return false;
        }

        var os = Text(value, "os");
        if (os is not null && !(string.Equals(os, "Windows", StringComparison.OrdinalIgnoreCase) || string.Equals(os, "Linux", StringComparison.OrdinalIgnoreCase)))
        {
            error = "\"filter.os\" must be Windows or Linux.";
            return false;
        }

        var finding = Text(value, "finding");
        if (finding is not null && (finding.Length > 64 || !finding.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            error = "\"filter.finding\" must be a finding code (letters, digits and '_').";
            return false;
        }

        List<string>? ids = null;
        if (value.TryGetProperty("resourceIds", out var idsValue) && idsValue.ValueKind != JsonValueKind.Null)
        {
            ids = [];
            if (!TryNames(idsValue, MaxResourceIds, IsResourceId, ids))
            {
                error = $"\"filter.resourceIds\" must be an array of at most {MaxResourceIds} ARM resource ids (/subscriptions/...).";
                return false;
            }
        }

        filter = new RemediationFilter(subscription, group, ids, os is null ? null : char.ToUpperInvariant(os[0]) + os[1..].ToLowerInvariant(), finding?.ToUpperInvariant());
        return true;
    }

    private static string? Text(JsonElement value, string name) =>
        value.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static string? Unknown(JsonElement value, HashSet<string> allowed)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                return $"Unknown property. Allowed: {string.Join(", ", allowed)}.";
            }
        }

        return null;
    }

    private static bool TryNames(JsonElement value, int max, Func<string, bool> valid, List<string> names)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > max)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } text || !valid(text))
            {
                return false;
            }

            names.Add(text);
        }

        return true;
    }

    private static bool TryName<T>(string? text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static bool IsName(string text) =>
        text.Length is > 0 and <= MaxNameLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static bool IsResourceGroup(string text) =>
        text.Length is > 0 and <= 90 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '(' or ')');

    private static bool IsResourceId(string text) =>
        text.Length is > 15 and <= 1024 && text.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)
        && !text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '?' or '#' or '\\');
}
