using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Compliance.Emulator.Arm;

/// <summary>
/// An ARM error: the HTTP status and the <c>{"error":{"code","message"}}</c> body, with the
/// codes and messages real ARM uses for the situations the emulator reproduces.
/// </summary>
internal sealed record ArmError(int StatusCode, string Code, string Message)
{
    public static ArmError MissingApiVersion() => new(
        StatusCodes.Status400BadRequest,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.");

    public static ArmError AuthenticationFailed(string reason) => new(
        StatusCodes.Status401Unauthorized,
        "AuthenticationFailed",
        $"Authentication failed. {reason}");

    public static ArmError InvalidResourceType(string path) => new(
        StatusCodes.Status404NotFound,
        "InvalidResourceType",
        $"The resource type could not be found for the request path '{path}'.");

    public static ArmError SubscriptionNotFound(string subscriptionId) => new(
        StatusCodes.Status404NotFound,
        "SubscriptionNotFound",
        $"The subscription '{subscriptionId}' could not be found.");

    public static ArmError ResourceGroupNotFound(string resourceGroup) => new(
        StatusCodes.Status404NotFound,
        "ResourceGroupNotFound",
        $"Resource group '{resourceGroup}' could not be found.");

    public static ArmError ResourceNotFound(string type, string name, string resourceGroup) => new(
        StatusCodes.Status404NotFound,
        "ResourceNotFound",
        $"The Resource '{type}/{name}' under resource group '{resourceGroup}' was not found.");

    public static ArmError OsVersionNotFound(string location, string name) => new(
        StatusCodes.Status404NotFound,
        "ResourceNotFound",
        $"The Resource 'Microsoft.Compute/locations/{location}/cloudServiceOsVersions/{name}' was not found.");

    public static ArmError OperationNotFound(string operationId) => new(
        StatusCodes.Status404NotFound,
        "NotFound",
        $"The operation '{operationId}' was not found.");

    public static ArmError InvalidRequestContent(string reason) => new(
        StatusCodes.Status400BadRequest,
        "InvalidRequestContent",
        $"The request content was invalid and could not be deserialized: {reason}");

    public static ArmError InvalidSkipToken(string token) => new(
        StatusCodes.Status400BadRequest,
        "InvalidSkipToken",
        $"The skip token '{token}' is not valid.");

    public static ArmError CommandNotFound() => new(
        StatusCodes.Status404NotFound,
        "NotFound",
        "The entity was not found in this Azure location.");

    public static ArmError NotRunning(string machineName) => new(
        StatusCodes.Status409Conflict,
        "OperationNotAllowed",
        $"Operation 'RunCommand' is not allowed on VM '{machineName}' since the VM is not running.");

    public static ArmError InvalidParameter(string reason) => new(
        StatusCodes.Status400BadRequest,
        "InvalidParameter",
        $"The value of a parameter is not valid: {reason}.");

    public static ArmError PatchesNotAllowed(string machineName, string reason) => new(
        StatusCodes.Status409Conflict,
        "OperationNotAllowed",
        $"Operation 'installPatches' is not allowed on VM '{machineName}' {reason}.");

    public static ArmError RunCommandInProgress() => new(
        StatusCodes.Status409Conflict,
        "Conflict",
        "Run command extension execution is in progress. Please wait for completion before invoking a run command.");

    public static ArmError InternalExecutionError() => new(
        StatusCodes.Status500InternalServerError,
        "InternalExecutionError",
        "An internal execution error occurred. Please retry later.");

    public static ArmError ExtensionTimeout(FleetOsType osType) => new(
        StatusCodes.Status409Conflict,
        "VMExtensionProvisioningTimeout",
        $"Provisioning of VM extension '{(osType == FleetOsType.Windows ? "RunCommandWindows" : "RunCommandLinux")}' has timed out. Extension installation may be taking too long, or extension status could not be obtained.");

    public static ArmError AgentNotReporting(string machineName) => new(
        StatusCodes.Status409Conflict,
        "VMAgentStatusCommunicationError",
        $"VM '{machineName}' has not reported status for VM agent or extensions. Verify that the OS is up and healthy, the VM has a running VM agent, and that it can establish outbound connections to Azure storage.");

    public static ArmError InternalServerError() => new(
        StatusCodes.Status500InternalServerError,
        "InternalServerError",
        "The server encountered an internal error. Please retry the request.");

    public static ArmError ServiceUnavailable() => new(
        StatusCodes.Status503ServiceUnavailable,
        "ServiceUnavailable",
        "The service is temporarily unavailable. Please retry the request.");

    /// <summary>ARM's own throttling (PLATFORM.md 3.1); <paramref name="scope"/> is <c>subscription</c> or <c>tenant</c>.</summary>
    public static ArmError RequestsThrottled(string operation, string scope, string scopeId, string principalId, long retryAfterSeconds) => new(
        StatusCodes.Status429TooManyRequests,
        scope == "tenant" ? "TenantRequestsThrottled" : "SubscriptionRequestsThrottled",
        $"Number of '{operation}' requests for {scope} '{scopeId}' actor '{principalId}' exceeded. Please try again after '{retryAfterSeconds}' seconds.");

    public static ArmError Unexpected(string message) => new(
        StatusCodes.Status500InternalServerError,
        "InternalServerError",
        message);

    /// <summary>The <c>{"code","message"}</c> object, as nested in error bodies and failed operations.</summary>
    public JsonObject ToDetail() => new() { ["code"] = Code, ["message"] = Message };

    public JsonObject ToBody() => new() { ["error"] = ToDetail() };

    public IResult ToResult() => ArmResults.Json(ToBody(), StatusCode);
}
