using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Compliance.Emulator.Arm;

/// <summary>
/// ARM list pages: <c>{"value":[...],"nextLink":"..."}</c>, where the next link is the request's
/// own URL with <c>$skiptoken</c> set to the offset of the next page.
/// </summary>
internal static class Paging
{
    private const string SkipToken = "$skiptoken";

    public static IResult Page<T>(HttpContext context, Uri endpoint, int pageSize, IReadOnlyList<T> items, Func<T, JsonNode> shape)
    {
        var offset = 0;
        var token = context.Request.Query[SkipToken].ToString();
        if (token.Length > 0
            && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > items.Count))
        {
            return ArmError.InvalidSkipToken(token).ToResult();
        }

        var end = Math.Min(items.Count, offset + pageSize);
        var value = new JsonArray();
        for (var i = offset; i < end; i++)
        {
            value.Add(shape(items[i]));
        }

        var page = new JsonObject { ["value"] = value };
        if (end < items.Count)
        {
            page["nextLink"] = NextLink(context, endpoint, end);
        }

        return ArmResults.Json(page);
    }

    private static string NextLink(HttpContext context, Uri endpoint, int offset)
    {
        // Rebuild from the raw target so the client gets back exactly the path and query it sent.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = (question < 0 ? target : target[..question]).TrimStart('/');
        var query = question < 0 ? "" : target[(question + 1)..];
        var kept = query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !IsSkipToken(part))
            .Append($"{SkipToken}={offset.ToString(CultureInfo.InvariantCulture)}");
        return $"{endpoint.AbsoluteUri}{path}?{string.Join('&', kept)}";
    }

    private static bool IsSkipToken(string part)
    {
        var equals = part.IndexOf('=', StringComparison.Ordinal);
        var name = Uri.UnescapeDataString(equals < 0 ? part : part[..equals]);
        return string.Equals(name, SkipToken, StringComparison.OrdinalIgnoreCase);
    }
}
