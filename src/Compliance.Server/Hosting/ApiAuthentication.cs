namespace Compliance.Server.Hosting;

/// <summary>Who decides the permission of a caller of the Functions app (<see cref="ApiOptions.Authentication"/>).</summary>
public enum ApiAuthentication
{
    /// <summary>The host's function keys: StartScan's keys are the operator's, the other functions' keys the readers'.</summary>
    FunctionKeys,

    /// <summary>
    /// App Service Authentication (Entra ID) in front of the app: the caller's app roles (<see cref="ApiRoles"/>) from
    /// the principal the platform passes in <c>X-MS-CLIENT-PRINCIPAL</c>, on top of the function key the host checks.
    /// </summary>
    AppService,
}
