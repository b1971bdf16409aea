namespace Compliance.Core.Inventory;

/// <summary>The kinds of resource a scan judges. The names are the report's <c>kind</c> values.</summary>
public enum ResourceKind
{
    /// <summary>A standalone virtual machine (<c>Microsoft.Compute/virtualMachines</c>).</summary>
    VirtualMachine,

    /// <summary>An instance of a virtual machine scale set.</summary>
    ScaleSetInstance,

    /// <summary>A Cloud Service (extended support).</summary>
    CloudService,
}
