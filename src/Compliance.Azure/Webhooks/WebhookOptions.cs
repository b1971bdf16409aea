using System.ComponentModel.DataAnnotations;

namespace Compliance.Azure.Webhooks;

/// <summary>
/// Where notifications are posted as signed CloudEvents: a webhook (section <c>Compliance:Notifications:Webhook</c>).
/// </summary>
public sealed class WebhookOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Notifications:Webhook";

    /// <summary>The least length of <see cref="Secret"/>.</summary>
    public const int MinSecretLength = 16;

    /// <summary>
    /// The URL every notification is posted to; <c>null</c> disables the webhook sink. Must be HTTPS unless the host
    /// is loopback.
    /// </summary>
    /// <value>Default: <c>null</c>.</value>
    public Uri? Url { get; set; }

    /// <summary>
    /// The key of the HMAC-SHA256 signature of every body (header <c>X-Compliance-Signature</c>), shared with the
    /// receiver. Required when <see cref="Url"/> is set; at least <see cref="MinSecretLength"/> characters.
    /// </summary>
    /// <value>Default: <c>null</c>.</value>
    public string? Secret { get; set; }

    /// <summary>How long one delivery may take, from sending the request to the end of the response headers.</summary>
    /// <value>Default: 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Url is null)
        {
            yield break;
        }

        // The body is signed, not encrypted: plain http is allowed only where it cannot leave the machine.
        if (!Url.IsAbsoluteUri || !(Url.Scheme == Uri.UriSchemeHttps || (Url.Scheme == Uri.UriSchemeHttp && Url.IsLoopback)))
        {
            yield return new ValidationResult(
                $"{SectionName}:Url must be an absolute https URL (http only for a loopback host).",
                [nameof(Url)]);
        }

        if (Secret is null || Secret.Length < MinSecretLength)
        {
            yield return new ValidationResult(
                $"{SectionName}:Secret is required with a Url and must have at least {MinSecretLength} characters.",
                [nameof(Secret)]);
        }
    }
}
