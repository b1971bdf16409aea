using System.Text.Json;
using Compliance.Core.Scanning;

namespace Compliance.Server.Api;

/// <summary>
/// The body of <c>POST /api/scans</c>: empty (scan the configured scope) or <c>{"subscriptions": ["id", ...]}</c>.
/// </summary>
internal static class ScanStartRequest
{
    public static bool TryParse(string? body, out ScanRequest request, out string? error)
    {
        request = ScanRequest.AllSubscriptions with { Requested = true };
        error = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return true;
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

            if (!root.TryGetProperty("subscriptions", out var subscriptions) || subscriptions.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (subscriptions.ValueKind != JsonValueKind.Array)
            {
                error = "\"subscriptions\" must be an array of subscription ids.";
                return false;
            }

            var ids = new List<string>();
            foreach (var item in subscriptions.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !Guid.TryParse(item.GetString(), out var id))
                {
                    error = "Every subscription id must be a GUID.";
                    return false;
                }

                ids.Add(id.ToString());
            }

            request = new ScanRequest(ids) { Requested = true };
            return true;
        }
        catch (JsonException ex)
        {
            error = $"The body is not JSON: {ex.Message}";
            return false;
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString throws this for a string that is not valid UTF-16 (a lone surrogate escaped as \ud800).
            error = "The body holds a string that is not valid Unicode.";
            return false;
        }
    }

    public static object Accepted(ScanPlan plan) => new
    {
        scanId = plan.ScanId,
        startedAt = plan.StartedAt,
        batches = plan.Batches.Count,
        resources = plan.Batches.Sum(b => b.Resources.Count),
        errors = plan.Errors.Select(e => new { scope = e.Scope, message = e.Message }),
        status = $"/api/scans/{plan.ScanId}",
    };
}
