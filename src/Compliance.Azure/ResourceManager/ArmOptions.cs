using System.ComponentModel.DataAnnotations;

namespace Compliance.Azure.ResourceManager;

/// <summary>How the app reaches Azure Resource Manager (section <c>Compliance:Arm</c>).</summary>
public sealed class ArmOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Arm";

    /// <summary>The ARM endpoint; <c>null</c> means the Azure public cloud. Must be HTTPS.</summary>
    /// <value>Default: <c>null</c> (https://management.azure.com/).</value>
    public Uri? Endpoint { get; set; }

    /// <summary>The token audience of the ARM endpoint.</summary>
    /// <value>Default: <c>https://management.azure.com/</c>.</value>
    [Required]
    public string Audience { get; set; } = "https://management.azure.com/";

    /// <summary>The client id of a user-assigned managed identity; <c>null</c> uses the system-assigned one.</summary>
    /// <value>Default: <c>null</c>.</value>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How often the SDK retries a throttled or failed request (429, 5xx, network errors).</summary>
    /// <value>Default: 3.</value>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry delay of the SDK's exponential back-off (a <c>Retry-After</c> header wins).</summary>
    /// <value>Default: 0.8 seconds.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>
    /// How often a Run Command refused with 409 "Run command extension execution is in progress" is tried again
    /// before the verdict is <c>CHECK_FAILED</c>.
    /// </summary>
    /// <remarks>
    /// Another short check (about 20 seconds) is over within the default two retries (waits of 5-10 and 10-20 s); a
    /// command still busy after that is a long one (up to 90 minutes), better left to the next scan than waited for,
    /// since the scan's batch, and so the scan, cannot end before its last machine.
    /// </remarks>
    /// <value>Default: 2.</value>
    [Range(0, 20)]
    public int RunCommandConflictRetries { get; set; } = 2;

    /// <summary>The first wait after such a conflict; it doubles each time, with jitter (half to all of it).</summary>
    /// <value>Default: 10 seconds.</value>
    public TimeSpan RunCommandConflictBackoff { get; set; } = TimeSpan.FromSeconds(10);
}
