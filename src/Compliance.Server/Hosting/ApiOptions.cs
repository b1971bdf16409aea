using System.ComponentModel.DataAnnotations;

namespace Compliance.Server.Hosting;

/// <summary>Settings of the HTTP API (section <c>Compliance:Api</c>); the key is used by <c>compliance serve</c> only.</summary>
public sealed class ApiOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Api";

    /// <summary>The least length of <see cref="Key"/>.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The header that carries the API key.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>
    /// The API key callers send in <see cref="KeyHeader"/>. Required when the app listens on anything but loopback;
    /// under the Functions host, function keys protect the API instead.
    /// </summary>
    /// <value>Default: none (an empty value is none too).</value>
    public string? Key { get; set; }

    /// <summary>The largest page <c>GET /api/compliance</c> returns.</summary>
    /// <value>Default: 1000.</value>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>
    /// How many <c>/api</c> requests one caller may make per minute. Each caller (its key where one has been checked,
    /// otherwise its address) has a bucket that holds a minute's worth and refills evenly, so a caller may burst but no
    /// caller can keep the store busy for the others; a request over the limit is a 429 with <c>Retry-After</c>
    /// (<see cref="ApiRateLimiter"/>). The default leaves room for the dashboard and scripted use; raise it for callers that page through a large fleet.
    /// </summary>
    /// <value>Default: 120.</value>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 120;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Key) && Key.Trim().Length < MinKeyLength)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Key)} must have at least {MinKeyLength} characters.", [nameof(Key)]);
        }
    }
}
