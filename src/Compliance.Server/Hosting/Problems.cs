using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Compliance.Server.Hosting;

/// <summary>Every error the app answers is <c>application/problem+json</c> with a clear message.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IResult Result(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);

    public static IResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>
    /// Gives the problems the framework writes itself (unknown route, wrong method, unreadable body, a failure) a detail
    /// that says what to do, without exposing exception text.
    /// </summary>
    public static void Explain(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrEmpty(context.ProblemDetails.Detail))
        {
            return;
        }

        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"There is no such route: {context.HttpContext.Request.Path}. The API is described at /api/openapi.json.",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}. The API is described at /api/openapi.json.",
            StatusCodes.Status413PayloadTooLarge => $"A request body holds at most {RequestInput.MaxBodyBytes} bytes.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
            >= 500 => "The request failed; it can be retried. The app's log has the details.",
            _ => "The request was not accepted.",
        };
    }

    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        return context.Response.WriteAsync(JsonSerializer.Serialize(problem, JsonSerializerOptions.Web), context.RequestAborted);
    }
}
