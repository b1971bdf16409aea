namespace Compliance.Functions.Hosting;

/// <summary>How the app runs.</summary>
public enum HostingMode
{
    /// <summary>
    /// Under the Azure Functions host as a custom handler: the host starts it with <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>,
    /// posts trigger invocations to <c>/{FunctionName}</c>, forwards HTTP requests, and enforces function keys.
    /// </summary>
    FunctionsHost,

    /// <summary>On its own: its own scheduler, in-process queue and Event Grid webhook, and an API key off loopback.</summary>
    Standalone,
}
