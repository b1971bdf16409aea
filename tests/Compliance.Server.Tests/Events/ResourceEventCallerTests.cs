using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Server.Events;

namespace Compliance.Server.Tests.Events;

/// <summary>
/// Who made a change, as the real sample events say it: the token's object id in <c>data.claims</c> and the role
/// assignment's principal in <c>data.authorization.evidence</c>, which must agree; anything else names nobody.
/// </summary>
public sealed class ResourceEventCallerTests
{
    private const string Vm = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-01";
    private const string Caller = "7d3c9f4e-2a61-4b8e-8f0a-3c5e1d2b4a77";

    private static string? CallerOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ResourceEventReader.Read(Assert.Single(ResourceEventReader.Events(document.RootElement))).Caller;
    }

    private static JsonObject Rendered(string sample, string? caller = Caller)
    {
        var node = JsonNode.Parse(SampleEvent.Render(sample, new SampleEventEdit { ResourceId = Vm, OperationName = "Microsoft.Compute/virtualMachines/runCommand/action", CallerObjectId = caller }))!;
        return node is JsonArray array ? array[0]!.AsObject() : node.AsObject();
    }

    [Theory]
    [InlineData("eventgrid-action-success.docs.json")]
    [InlineData("cloudevents-action-success.spec.json")]
    [InlineData("eventgrid-write-success.docs.json")]
    [InlineData("cloudevents-write-success.spec.json")]
    public void Read_RealSampleWithTheCaller_NamesIt(string sample) =>
        Assert.Equal(Caller, CallerOf(Rendered(sample).ToJsonString()));

    [Fact]
    public void Read_EvidenceWrittenAs32HexDigits_IsTheSameCaller()
    {
        var json = Rendered("eventgrid-action-success.docs.json");
        json["data"]!["authorization"]!["evidence"]!["principalId"] = Guid.Parse(Caller).ToString("N");

        Assert.Equal(Caller, CallerOf(json.ToJsonString()));
    }

    [Fact]
    public void Read_ClaimsAndEvidenceDisagree_NamesNobody()
    {
        var json = Rendered("eventgrid-action-success.docs.json");
        json["data"]!["authorization"]!["evidence"]!["principalId"] = Guid.NewGuid().ToString("N");

        Assert.Null(CallerOf(json.ToJsonString()));
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("")]
    public void Read_CallerThatIsNotAnId_NamesNobody(string value)
    {
        var json = Rendered("eventgrid-action-success.docs.json");
        json["data"]!["claims"]![SampleEvent.ObjectIdClaim] = value;
        json["data"]!["authorization"]!["evidence"]!.AsObject().Remove("principalId");

        Assert.Null(CallerOf(json.ToJsonString()));
    }

    [Fact]
    public void Read_NoClaimsNoEvidence_NamesNobody()
    {
        var json = Rendered("eventgrid-action-success.docs.json");
        json["data"]!.AsObject().Remove("claims");
        json["data"]!.AsObject().Remove("authorization");

        Assert.Null(CallerOf(json.ToJsonString()));
    }
}
