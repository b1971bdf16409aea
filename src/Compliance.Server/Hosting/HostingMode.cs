namespace Compliance.Server.Hosting;

/// <summary>How the app runs.</summary>
public enum HostingMode
{
    /// <summary>
    /// The Functions app on the isolated worker: the host runs the triggers, checks function keys and forwards HTTP
    /// requests from its front end.
    /// </summary>
    FunctionsHost,

    /// <summary><c>compliance serve</c>: its own scheduler and queue consumers, and an API key off loopback.</summary>
    Standalone,
}
