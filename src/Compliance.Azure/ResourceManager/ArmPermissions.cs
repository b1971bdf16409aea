namespace Compliance.Azure.ResourceManager;

/// <summary>
/// Every Azure RBAC action the ARM adapters need, and nothing more: the custom role that <c>infra/</c> assigns to the
/// app at subscription scope holds exactly this list (a test checks both that the adapters call nothing outside it and
/// that the Bicep role matches it).
/// </summary>
public static class ArmPermissions
{
    /// <summary>The actions, in the order the role definition lists them.</summary>
    public static IReadOnlyList<string> Actions { get; } =
    [
        // The subscriptions to scan when none are configured.
        "Microsoft.Resources/subscriptions/read",
        "Microsoft.Compute/virtualMachines/read",
        "Microsoft.Compute/virtualMachines/instanceView/read",
        "Microsoft.Compute/virtualMachines/runCommand/action",
        "Microsoft.Compute/virtualMachineScaleSets/read",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action",
        "Microsoft.Compute/cloudServices/read",
        "Microsoft.Compute/cloudServices/roleInstances/read",
        "Microsoft.Compute/locations/cloudServiceOsVersions/read",
        // Run Command is a long-running operation: its status is polled at locations/{location}/operations/{id}.
        "Microsoft.Compute/locations/operations/read",
    ];
}
