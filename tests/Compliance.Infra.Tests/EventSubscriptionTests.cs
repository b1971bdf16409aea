using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// The subscription's resource-change events reach the app through a storage queue: Event Grid filters them by
/// operation prefix within its value limit, delivers and dead-letters with the system topic's identity, and that
/// identity may send to the event queue and nowhere else.
/// </summary>
public sealed partial class EventSubscriptionTests
{
    private const string EventQueueAccess = "infra/modules/eventQueueAccess.bicep";
    private const string SubscriptionEvents = "infra/modules/subscriptionEvents.bicep";

    private static readonly InfraDocuments _documents = InfraDocuments.Load();
    private static readonly EventSubscriptionDefinition _subscription = Assert.Single(InfraModel.Read(_documents).EventSubscriptions);

    [Fact]
    public void Filter_OperationPrefixes_WithinEventGridsValueLimit()
    {
        Assert.InRange(_subscription.Filters.Sum(f => f.Values.Count), 1, InfraConsistency.MaxAdvancedFilterValues);
        Assert.DoesNotContain(_subscription.Filters, f => f.OperatorType == "StringIn");
        var included = Assert.Single(_subscription.Filters, f => f.Key == "data.operationName" && !f.IsExclusion);
        Assert.Equal("StringBeginsWith", included.OperatorType);
        Assert.Equal(["Microsoft.Compute/cloudServices/", "Microsoft.Compute/virtualMachineScaleSets/", "Microsoft.Compute/virtualMachines/"], included.Values.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Microsoft.Compute/virtualMachines/write", true)]
    [InlineData("Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action", true)]
    [InlineData("microsoft.compute/cloudservices/delete", true)]
    [InlineData("Microsoft.Compute/virtualMachines/runCommand/action", true)]
    [InlineData("Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runcommand/action", true)]
    [InlineData("Microsoft.Compute/virtualMachineScaleSets/osRollingUpgrade/action", true)]
    [InlineData("Microsoft.Compute/virtualMachines/extensions/write", true)]
    [InlineData("Microsoft.Compute/disks/write", false)]
    [InlineData("Microsoft.Resources/deployments/write", false)]
    public void Filter_Operation_PassesAsEventGridWouldLetItThrough(string operation, bool passes) =>
        Assert.Equal(passes, _subscription.Filters.Where(f => f.Key == "data.operationName").All(f => f.Admits(operation) == true));

    [Fact]
    public void Delivery_ToTheEventQueueWithTheTopicsIdentity_InTheSchemaTheAppReads()
    {
        Assert.Equal("StorageQueue", _subscription.EndpointType);
        Assert.Equal("SystemAssigned", _subscription.DeliveryIdentity);
        Assert.Equal("resource-changes", _subscription.Queue);
        Assert.Equal("EventGridSchema", _subscription.Schema);
        Assert.Equal(TimeSpan.FromDays(7), TimeSpan.FromSeconds(long.Parse(_subscription.QueueMessageTimeToLive!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(("StorageBlob", "SystemAssigned"), (_subscription.DeadLetterEndpointType, _subscription.DeadLetterIdentity));
    }

    [Fact]
    public void QueueSender_IsTheTopicsIdentity_OnTheEventQueueOnly()
    {
        var values = new BicepValues(_documents);
        var assignment = Assert.Single(BicepText.Declarations(_documents.Files[EventQueueAccess]), d => d.IsResource("Microsoft.Authorization/roleAssignments"));
        var properties = BicepText.Inner(BicepText.Property(assignment.Body, "properties"));
        var role = RoleDefinitionArgument().Match(BicepText.Property(properties, "roleDefinitionId") ?? string.Empty);

        Assert.Equal("storage::queueService::queue", BicepText.Property(assignment.Body, "scope"));
        Assert.True(role.Success);
        Assert.Equal("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", values.Resolve(EventQueueAccess, role.Groups[1].Value));
        Assert.Equal("principalId", BicepText.Property(properties, "principalId"));
        Assert.Equal("resource-changes", values.Resolve(EventQueueAccess, "queueName"));
        var caller = Assert.Single(BicepText.Declarations(_documents.Files[SubscriptionEvents]), d => d.Kind == "module" && d.Target == "eventQueueAccess.bicep");
        Assert.Equal("topic.identity.principalId", BicepText.Property(BicepText.Inner(BicepText.Property(caller.Body, "params")), "principalId"));
    }

    [GeneratedRegex(@"^subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions',\s*(\w+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleDefinitionArgument();
}
