using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Compliance.Functions.Tests;

/// <summary>What a function's result wrote: status, headers and body.</summary>
internal sealed record HttpAnswer(int Status, string? ContentType, IHeaderDictionary Headers, string Body)
{
    public static HttpAnswer Of(HttpContext context)
    {
        var body = (MemoryStream)context.Response.Body;
        return new HttpAnswer(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a problem document of <paramref name="status"/> and returns its detail.</summary>
    public string AssertProblem(int status)
    {
        Assert.True(Status == status, $"Expected {status}, got {Status}: {Body}");
        Assert.StartsWith("application/problem+json", ContentType, StringComparison.Ordinal);
        var detail = Json().GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), Body);
        return detail!;
    }
}
