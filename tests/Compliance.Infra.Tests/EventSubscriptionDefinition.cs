namespace Compliance.Infra.Tests;

/// <summary>
/// One event subscription of the Bicep files, as the checks need it: how and where it delivers (the queue name
/// resolved through the deployment's wiring), its filter, and where its dead letters go.
/// </summary>
internal sealed record EventSubscriptionDefinition(
    string File,
    string? DeliveryIdentity,
    string? EndpointType,
    string? Queue,
    string? QueueMessageTimeToLive,
    string? Schema,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<AdvancedFilter> Filters,
    string? DeadLetterIdentity,
    string? DeadLetterEndpointType)
{
    public const string ResourceType = "Microsoft.EventGrid/systemTopics/eventSubscriptions";

    public static EventSubscriptionDefinition Read(string file, BicepDeclaration resource, BicepValues values)
    {
        var properties = BicepText.Inner(BicepText.Property(resource.Body, "properties"));
        var delivery = BicepText.Inner(BicepText.Property(properties, "deliveryWithResourceIdentity"));
        var destination = BicepText.Inner(BicepText.Property(delivery, "destination") ?? BicepText.Property(properties, "destination"));
        var destinationProperties = BicepText.Inner(BicepText.Property(destination, "properties"));
        var filter = BicepText.Inner(BicepText.Property(properties, "filter"));
        var deadLetter = BicepText.Inner(BicepText.Property(properties, "deadLetterWithResourceIdentity"));
        var deadLetterDestination = BicepText.Inner(BicepText.Property(deadLetter, "deadLetterDestination") ?? BicepText.Property(properties, "deadLetterDestination"));
        return new EventSubscriptionDefinition(
            file,
            IdentityType(delivery),
            BicepText.Literal(BicepText.Property(destination, "endpointType")),
            values.Resolve(file, BicepText.Property(destinationProperties, "queueName")),
            values.Resolve(file, BicepText.Property(destinationProperties, "queueMessageTimeToLiveInSeconds")),
            BicepText.Literal(BicepText.Property(properties, "eventDeliverySchema")),
            BicepText.Items(BicepText.Inner(BicepText.Property(filter, "includedEventTypes"))).Select(BicepText.Literal).OfType<string>().ToList(),
            BicepText.Items(BicepText.Inner(BicepText.Property(filter, "advancedFilters"))).Select(item => ReadFilter(BicepText.Inner(item))).ToList(),
            IdentityType(deadLetter),
            BicepText.Literal(BicepText.Property(deadLetterDestination, "endpointType")));
    }

    private static string? IdentityType(string? withResourceIdentity) =>
        BicepText.Literal(BicepText.Property(BicepText.Inner(BicepText.Property(withResourceIdentity, "identity")), "type"));

    private static AdvancedFilter ReadFilter(string? body) => new(
        BicepText.Literal(BicepText.Property(body, "operatorType")) ?? string.Empty,
        BicepText.Literal(BicepText.Property(body, "key")) ?? string.Empty,
        BicepText.Items(BicepText.Inner(BicepText.Property(body, "values"))).Select(v => BicepText.Literal(v) ?? v).ToList());
}
