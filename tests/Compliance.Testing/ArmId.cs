namespace Compliance.Testing;

/// <summary>An ARM resource id under a subscription, taken apart as resource events repeat its pieces.</summary>
internal sealed record ArmId(string Id, string SubscriptionId, string? ResourceGroup, string Provider)
{
    /// <exception cref="ArgumentException">The id is not under a subscription.</exception>
    public static ArmId Parse(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var segments = id.Split('/');
        if (segments.Length < 3 || segments[0].Length != 0 || !Is(segments[1], "subscriptions") || segments[2].Length == 0)
        {
            throw new ArgumentException($"'{id}' is not an ARM resource id under a subscription.", nameof(id));
        }

        var group = segments.Length > 4 && Is(segments[3], "resourceGroups") ? segments[4] : null;
        var providers = Array.FindIndex(segments, s => Is(s, "providers"));
        var provider = providers > 0 && providers + 1 < segments.Length ? segments[providers + 1] : "Microsoft.Resources";
        return new ArmId(id, segments[2], group, provider);
    }

    /// <summary>
    /// The id spelled as <paramref name="old"/> spells the resource groups segment: Microsoft's samples write
    /// <c>resourcegroups</c> in some fields and <c>resourceGroups</c> in others, and the rendering keeps that.
    /// </summary>
    public string Spelled(string old) =>
        old.Contains("/resourcegroups/", StringComparison.Ordinal)
            ? Id.Replace("/resourceGroups/", "/resourcegroups/", StringComparison.OrdinalIgnoreCase)
            : Id;

    /// <summary>
    /// The topic (Event Grid) or source (CloudEvents) in <paramref name="old"/>'s form: the subscription's system
    /// topic, or the resource group's when the sample comes from a resource group topic.
    /// </summary>
    public string Topic(string old)
    {
        var segments = old.Split('/');
        var groupTopic = segments.Length >= 5 && Is(segments[3], "resourceGroups") && ResourceGroup is not null;
        return groupTopic
            ? $"/subscriptions/{SubscriptionId}/{segments[3]}/{ResourceGroup}"
            : $"/subscriptions/{SubscriptionId}";
    }

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);
}
