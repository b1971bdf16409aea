using Microsoft.AspNetCore.HttpLogging;

namespace Compliance.Server.Hosting;

/// <summary>
/// One log line per request without its query string. The framework's own request lines (category
/// <see cref="FrameworkCategory"/>) show the whole URL, and the query can carry a key a caller put there (a function
/// key's <c>?code=</c> sent to the wrong host, say). Those lines are turned off, below
/// warnings, and the HTTP logging middleware writes the method, path, status and duration instead: never the query,
/// the headers or a body.
/// </summary>
internal static class RequestLogging
{
    /// <summary>The category of the framework's request lines.</summary>
    public const string FrameworkCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>What is logged of each request.</summary>
    public const HttpLoggingFields Fields =
        HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;

    public static void Add(WebApplicationBuilder builder)
    {
        // A filter of the app's, after the configuration's: a setting cannot turn the URL lines back on.
        builder.Logging.AddFilter(FrameworkCategory, LogLevel.Warning);
        builder.Services.AddHttpLogging(options =>
        {
            options.LoggingFields = Fields;
            options.CombineLogs = true;
        });
    }
}
