using Azure.Core;
using Azure.Core.Pipeline;
using Compliance.Azure.ResourceManager.Throttling;

namespace Compliance.Azure.Tests.ResourceManager.Throttling;

public sealed class ArmRateGovernorTests
{
    private const string Group = "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Compute";

    [Theory]
    [InlineData("GET", "/subscriptions/s/providers/Microsoft.Compute/locations/westeurope/operations/op?monitor=true", nameof(ComputePolicy.GetOperation))]
    [InlineData("GET", Group + "/virtualMachines/vm", nameof(ComputePolicy.LowCostGetVM))]
    [InlineData("GET", Group + "/virtualMachines/vm/instanceView", nameof(ComputePolicy.LowCostGetVM))]
    [InlineData("POST", Group + "/virtualMachines/vm/runCommand", nameof(ComputePolicy.UpdateVM))]
    [InlineData("POST", Group + "/virtualMachines/vm/installPatches", nameof(ComputePolicy.UpdateVM))]
    [InlineData("GET", Group + "/virtualMachines", nameof(ComputePolicy.HighCostGetVM))]
    [InlineData("GET", "/subscriptions/s/providers/Microsoft.Compute/virtualMachines", nameof(ComputePolicy.HighCostGetVM))]
    [InlineData("GET", Group + "/virtualMachineScaleSets/ss/virtualMachines/3", nameof(ComputePolicy.GetScaleSetVM))]
    [InlineData("GET", Group + "/virtualMachineScaleSets/ss/virtualMachines/3/instanceView", nameof(ComputePolicy.GetScaleSetVM))]
    [InlineData("POST", Group + "/virtualMachineScaleSets/ss/virtualmachines/3/runCommand", nameof(ComputePolicy.UpdateScaleSetVM))]
    [InlineData("GET", Group + "/virtualMachineScaleSets/ss/virtualMachines", nameof(ComputePolicy.ScaleSetHighCostGet))]
    [InlineData("GET", Group + "/virtualMachineScaleSets/ss/instanceView", nameof(ComputePolicy.ScaleSetHighCostGet))]
    [InlineData("GET", Group + "/virtualMachineScaleSets", nameof(ComputePolicy.ScaleSetHighCostGet))]
    [InlineData("GET", "/subscriptions/s/providers/Microsoft.Compute/virtualMachineScaleSets", nameof(ComputePolicy.ScaleSetHighCostGet))]
    [InlineData("GET", Group + "/virtualMachineScaleSets/ss", nameof(ComputePolicy.ScaleSetLowCostGet))]
    public void Classify_ComputeRequest_DrawsFromItsPolicysBucketAtItsDocumentedRate(string method, string path, string policy)
    {
        var expected = Enum.Parse<ComputePolicy>(policy);
        var governor = new ArmRateGovernor(ArmRateLimits.Azure, TimeProvider.System);

        var request = governor.Classify(Message(method, path));
        var again = governor.Classify(Message(method, path));
        var vmRead = governor.Classify(Message("GET", Group + "/virtualMachines/other"));

        Assert.Equal(expected, ArmRateGovernor.PolicyOf(request.Kind, new Uri("https://arm" + path).AbsolutePath));
        Assert.Same(request.Compute, again.Compute);
        Assert.Equal(expected == ComputePolicy.LowCostGetVM, ReferenceEquals(request.Compute, vmRead.Compute));
    }

    [Fact]
    public void ComputeRate_ScaleSetPolicies_AreComputesDocumentedRefillRates()
    {
        var limits = ArmRateLimits.Azure;

        Assert.Equal(
            [500 / 60.0, 8000 / 60.0, 300 / 60.0, 5000 / 60.0, 500 / 60.0, 2000 / 60.0, 800 / 60.0, 360 / 60.0],
            Enum.GetValues<ComputePolicy>().Select(limits.ComputeRate));
    }

    private static HttpMessage Message(string method, string path)
    {
        var pipeline = HttpPipelineBuilder.Build(new TestClientOptions());
        var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Parse(method);
        message.Request.Uri.Reset(new Uri("https://arm.example" + path));
        return message;
    }

    private sealed class TestClientOptions : ClientOptions;
}
