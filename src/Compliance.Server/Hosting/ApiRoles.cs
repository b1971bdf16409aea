namespace Compliance.Server.Hosting;

/// <summary>
/// The app roles of the Entra ID application in front of the Functions app (App Service Authentication), as they
/// reach the app in the caller's <c>roles</c> claims.
/// </summary>
public static class ApiRoles
{
    /// <summary>May read verdicts, scans and the dashboard.</summary>
    public const string Read = "Compliance.Read";

    /// <summary>May read, and start scans (and every later change).</summary>
    public const string Operate = "Compliance.Operate";
}
