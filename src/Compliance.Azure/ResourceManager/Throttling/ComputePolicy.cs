namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// The Microsoft.Compute throttling policy a request draws from ("Compute throttling limits": one table for virtual
/// machines, one for scale sets, one for scale-set VMs). Each has its own bucket per subscription and region.
/// </summary>
internal enum ComputePolicy
{
    /// <summary>"Update VM": Run Command on a VM, <c>installPatches</c>, and every other write or action of a VM.</summary>
    UpdateVM,

    /// <summary>"Low Cost Get VM": a GET of one VM or its instance view.</summary>
    LowCostGetVM,

    /// <summary>"High Cost Get VM": lists of VMs.</summary>
    HighCostGetVM,

    /// <summary>"Get Operation": polls of an asynchronous operation (its status or its Location).</summary>
    GetOperation,

    /// <summary>"Update scale set VMs": Run Command on a scale-set VM, and every other write of one.</summary>
    UpdateScaleSetVM,

    /// <summary>"Get scale set VMs": a GET of one scale-set VM or its instance view.</summary>
    GetScaleSetVM,

    /// <summary>The scale sets' "Low Cost Get": a GET of one scale set.</summary>
    ScaleSetLowCostGet,

    /// <summary>The scale sets' "High Cost Get": lists of scale sets, a scale set's instance view, the list of its VMs.</summary>
    ScaleSetHighCostGet,
}
