using System.ComponentModel.DataAnnotations;

namespace Compliance.Azure.EventGrid;

/// <summary>
/// Where notifications are published as CloudEvents: an Event Grid custom topic (section
/// <c>Compliance:Notifications:EventGrid</c>).
/// </summary>
public sealed class EventGridOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Notifications:EventGrid";

    /// <summary>
    /// The endpoint of the custom topic, e.g. <c>https://my-topic.westeurope-1.eventgrid.azure.net/api/events</c>;
    /// <c>null</c> disables the Event Grid sink. Must be HTTPS unless the host is loopback.
    /// </summary>
    /// <value>Default: <c>null</c>.</value>
    public Uri? TopicEndpoint { get; set; }

    /// <summary>
    /// An access key of the topic; <c>null</c> or empty (as in the deployed app settings) signs in with the app's
    /// <c>TokenCredential</c> (managed identity), which then needs the <c>EventGrid Data Sender</c> role on the topic.
    /// </summary>
    /// <value>Default: <c>null</c>.</value>
    public string? TopicKey { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TopicEndpoint is not null && !IsAllowedEndpoint(TopicEndpoint))
        {
            yield return new ValidationResult(
                $"{SectionName}:TopicEndpoint must be an absolute https URL (http only for a loopback host).",
                [nameof(TopicEndpoint)]);
        }
    }

    // The key or token travels in a header, so plain http is allowed only where it cannot leave the machine.
    private static bool IsAllowedEndpoint(Uri endpoint) =>
        endpoint.IsAbsoluteUri
        && (endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback));
}
