using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Server.Events;

namespace Compliance.Server.Tests.Events;

/// <summary>
/// Microsoft's sample subscription events (<c>tests/Compliance.Testing/SampleEvents</c>), rendered about the fleet's
/// resources by <see cref="SampleEvent"/> and read by the service's <see cref="ResourceEventReader"/>.
/// </summary>
public sealed class SampleEventTests
{
    private const string Sub = "0b5e8c2a-4d7f-4a19-8e63-c1f9d2b7a045";
    private const string Vm = $"/subscriptions/{Sub}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web-1";
    private const string Instance = $"/subscriptions/{Sub}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/3";
    private const string ScaleSet = $"/subscriptions/{Sub}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss";
    private const string Extension = $"{Vm}/extensions/MDE.Windows";
    private const string CloudService = $"/subscriptions/{Sub}/resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api";
    private const string Caller = "6a1f3c8e-92d4-4b57-a0e6-d3c5b7f9e182";

    private static readonly string[] _expected =
    [
        "cloudevents-action-success.spec.json",
        "cloudevents-delete-success.spec.json",
        "cloudevents-write-success.spec.json",
        "eventgrid-action-success.docs.json",
        "eventgrid-action-success.sdk-go.json",
        "eventgrid-delete-success.docs.json",
        "eventgrid-write-success.docs.json",
        "eventgrid-write-success.sdk-go.json",
        "eventgrid-write-success.sdk-net.json",
    ];

    public static TheoryData<string> Samples => new(_expected);

    /// <summary>Every sample with each kind of resource the service re-checks, and an operation on it.</summary>
    public static TheoryData<string, string, string, string> Renderings
    {
        get
        {
            var data = new TheoryData<string, string, string, string>();
            var changes = new (string Resource, string EventType, string Operation)[]
            {
                (Vm, "Microsoft.Resources.ResourceActionSuccess", "Microsoft.Compute/virtualMachines/reimage/action"),
                (Instance, "Microsoft.Resources.ResourceActionSuccess", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimageAll/action"),
                (ScaleSet, "Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Compute/virtualMachineScaleSets/write"),
                (Extension, "Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Compute/virtualMachines/extensions/write"),
                (CloudService, "Microsoft.Resources.ResourceDeleteSuccess", "Microsoft.Compute/cloudServices/delete"),
            };
            foreach (var sample in _expected)
            {
                foreach (var (resource, eventType, operation) in changes)
                {
                    data.Add(sample, resource, eventType, operation);
                }
            }

            return data;
        }
    }

    [Fact]
    public void Names_AreTheFixturesInBothSchemas()
    {
        Assert.Equal(_expected, SampleEvent.Names);
        Assert.Contains(SampleEvent.Names, SampleEvent.IsCloudEvent);
        Assert.Contains(SampleEvent.Names, n => !SampleEvent.IsCloudEvent(n));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_SampleAsStored_ReadsItsIdTypeResourceAndOperation(string sample)
    {
        using var document = JsonDocument.Parse(SampleEvent.Load(sample));

        var element = Assert.Single(ResourceEventReader.Events(document.RootElement));
        var change = ResourceEventReader.Read(element);

        Assert.Equal(element.GetProperty("id").GetString(), change.EventId);
        Assert.StartsWith("Microsoft.Resources.Resource", change.EventType, StringComparison.Ordinal);
        Assert.Equal(element.GetProperty("subject").GetString(), change.ResourceId);
        Assert.Equal(element.GetProperty("data").GetProperty("operationName").GetString(), change.OperationName);
        Assert.NotEqual(DateTimeOffset.MinValue, change.EventTime);
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Read_Rendered_ReadsTheNewIdTypeResourceAndOperation(string sample, string resource, string eventType, string operation)
    {
        var id = Guid.NewGuid().ToString("D");

        var json = SampleEvent.Render(sample, new SampleEventEdit { ResourceId = resource, EventType = eventType, OperationName = operation, Id = id });

        using var document = JsonDocument.Parse(json);
        var change = ResourceEventReader.Read(Assert.Single(ResourceEventReader.Events(document.RootElement)));
        Assert.Equal(id, change.EventId);
        Assert.Equal(eventType, change.EventType);

        // Some samples spell the subject with "resourcegroups"; ARM ids are case-insensitive.
        Assert.Equal(resource, change.ResourceId, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(operation, change.OperationName);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Render_ResourceOnly_ChangesTheResourceFieldsAndNothingElse(string sample)
    {
        var original = JsonNode.Parse(SampleEvent.Load(sample));

        var rendered = JsonNode.Parse(SampleEvent.Render(sample, new SampleEventEdit { ResourceId = Vm }));

        var changed = Differences(original, rendered, "$").ToArray();
        string[] allowed =
        [
            "subject", "topic", "source", "data.resourceUri", "data.authorization.scope", "data.subscriptionId",
            "data.resourceProvider", "data.httpRequest.url",
        ];
        Assert.All(changed, path => Assert.Contains(path.Replace("$[0].", "", StringComparison.Ordinal).Replace("$.", "", StringComparison.Ordinal), allowed));
        Assert.Contains(changed, p => p.EndsWith("subject", StringComparison.Ordinal));
        var single = Single(rendered);
        Assert.Equal(Vm, (string?)single["subject"], StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Vm, (string?)single["data"]!["resourceUri"], StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Sub, (string?)single["data"]!["subscriptionId"]);
        Assert.StartsWith($"/subscriptions/{Sub}", (string?)(single["topic"] ?? single["source"]), StringComparison.Ordinal);
        if (single["data"]!["authorization"] is JsonObject authorization)
        {
            Assert.Equal(Vm, (string?)authorization["scope"], StringComparer.OrdinalIgnoreCase);
        }

        if (single["data"]!["resourceProvider"] is not null)
        {
            Assert.Equal("Microsoft.Compute", (string?)single["data"]!["resourceProvider"]);
        }
    }

    [Fact]
    public void Render_SampleSpellingResourcegroups_KeepsThatSpellingInTheSubject()
    {
        var rendered = Single(JsonNode.Parse(SampleEvent.Render("eventgrid-write-success.docs.json", new SampleEventEdit { ResourceId = Vm })));

        Assert.Equal(Vm.Replace("resourceGroups", "resourcegroups", StringComparison.Ordinal), (string?)rendered["subject"]);
    }

    [Fact]
    public void Render_ResourceGroupTopic_MovesTheTopicToTheNewResourceGroup()
    {
        var rendered = Single(JsonNode.Parse(SampleEvent.Render("cloudevents-action-success.spec.json", new SampleEventEdit { ResourceId = Instance })));

        Assert.Equal($"/subscriptions/{Sub}/resourceGroups/rg-web", (string?)rendered["source"]);
    }

    [Theory]
    [InlineData("eventgrid-action-success.docs.json", "https://management.azure.com{0}/runCommand?api-version=2017-04-01")]
    [InlineData("cloudevents-delete-success.spec.json", "https://management.azure.com{0}/runCommand?api-version=2018-02-01")]
    [InlineData("eventgrid-action-success.sdk-go.json", "https://management.azure.com{0}/runCommand?api-version=2018-11-01")]
    public void Render_Action_PostsToTheActionPathOfTheNewResource(string sample, string url)
    {
        var rendered = Single(JsonNode.Parse(SampleEvent.Render(sample, new SampleEventEdit
        {
            ResourceId = Vm,
            EventType = "Microsoft.Resources.ResourceActionSuccess",
            OperationName = "Microsoft.Compute/virtualMachines/runCommand/action",
        })));

        var httpRequest = rendered["data"]!["httpRequest"]!;
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, Vm), (string?)httpRequest["url"]);
        Assert.Equal("POST", (string?)httpRequest["method"]);
        Assert.Equal("Microsoft.Compute/virtualMachines/runCommand/action", (string?)rendered["data"]!["authorization"]!["action"]);
    }

    [Fact]
    public void Render_ResourceOnly_KeepsTheListKeysPathOfTheSample()
    {
        var rendered = Single(JsonNode.Parse(SampleEvent.Render("eventgrid-action-success.docs.json", new SampleEventEdit { ResourceId = Vm })));

        Assert.Equal($"https://management.azure.com{Vm}/listKeys?api-version=2017-04-01", (string?)rendered["data"]!["httpRequest"]!["url"]);
    }

    [Theory]
    [InlineData("eventgrid-action-success.docs.json", true)]
    [InlineData("cloudevents-action-success.spec.json", true)]
    [InlineData("eventgrid-action-success.sdk-go.json", true)]
    [InlineData("eventgrid-write-success.docs.json", false)]
    [InlineData("cloudevents-write-success.spec.json", false)]
    public void Render_Caller_NamesTheObjectIdInTheClaimsAndTheEvidence(string sample, bool evidenceNamesPrincipal)
    {
        var original = Single(JsonNode.Parse(SampleEvent.Load(sample)));

        var rendered = Single(JsonNode.Parse(SampleEvent.Render(sample, new SampleEventEdit { ResourceId = Vm, CallerObjectId = Caller })));

        Assert.Equal(Caller, (string?)rendered["data"]!["claims"]![SampleEvent.ObjectIdClaim]);
        var evidence = rendered["data"]!["authorization"]!["evidence"]!;
        if (evidenceNamesPrincipal)
        {
            // The samples write the principal id without hyphens; the rendering keeps the format.
            Assert.Equal(Caller.Replace("-", "", StringComparison.Ordinal), (string?)evidence["principalId"]);
            Assert.Equal((string?)original["data"]!["authorization"]!["evidence"]!["principalType"], (string?)evidence["principalType"]);
        }
        else
        {
            Assert.Null(evidence["principalId"]);
        }
    }

    [Fact]
    public void Render_CallerOnSampleWithoutClaimsObject_Throws()
    {
        var edit = new SampleEventEdit { ResourceId = Vm, CallerObjectId = Caller };

        Assert.Throws<InvalidOperationException>(() => SampleEvent.Render("eventgrid-write-success.sdk-net.json", edit));
    }

    [Theory]
    [InlineData("virtualMachines/web-1")]
    [InlineData("/resourceGroups/rg-app")]
    [InlineData("")]
    public void Render_NotAnArmId_ThrowsArgumentException(string resource)
    {
        Assert.ThrowsAny<ArgumentException>(() => SampleEvent.Render("eventgrid-write-success.docs.json", new SampleEventEdit { ResourceId = resource }));
    }

    [Fact]
    public void Load_UnknownName_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleEvent.Load("nope.json"));

        Assert.Contains("eventgrid-write-success.docs.json", error.Message, StringComparison.Ordinal);
    }

    private static JsonNode Single(JsonNode? root) => root switch
    {
        JsonArray array => Assert.Single(array)!,
        JsonObject single => single,
        _ => throw new InvalidOperationException("Not an event."),
    };

    // The paths (e.g. "$[0].data.resourceUri") whose values differ between two JSON trees of the same shape.
    private static IEnumerable<string> Differences(JsonNode? left, JsonNode? right, string path)
    {
        switch (left, right)
        {
            case (JsonObject l, JsonObject r):
                Assert.Equal(l.Select(p => p.Key), r.Select(p => p.Key));
                foreach (var (key, value) in l)
                {
                    foreach (var difference in Differences(value, r[key], $"{path}.{key}"))
                    {
                        yield return difference;
                    }
                }

                break;
            case (JsonArray l, JsonArray r):
                Assert.Equal(l.Count, r.Count);
                for (var i = 0; i < l.Count; i++)
                {
                    foreach (var difference in Differences(l[i], r[i], $"{path}[{i}]"))
                    {
                        yield return difference;
                    }
                }

                break;
            default:
                if (left?.ToJsonString() != right?.ToJsonString())
                {
                    yield return path;
                }

                break;
        }
    }
}
