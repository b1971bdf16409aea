using System.ComponentModel.DataAnnotations;

namespace Compliance.Server.Hosting;

/// <summary>Settings of the HTTP API (section <c>Compliance:Api</c>); the keys are used by <c>compliance serve</c> only.</summary>
public sealed class ApiOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Api";

    /// <summary>The least length of <see cref="ReadKey"/> and <see cref="OperatorKey"/>.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The header that carries the read or the operator key.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>
    /// The key that lets a caller of <c>compliance serve</c> read (every <c>GET</c> of <c>/api</c>, the dashboard, the
    /// CSV), sent in <see cref="KeyHeader"/>. Required when the app listens on anything but loopback; under the
    /// Functions host, function keys or app roles protect the API instead.
    /// </summary>
    /// <value>Default: <see cref="Key"/>, else none (an empty value is none too).</value>
    public string? ReadKey { get; set; }

    /// <summary>The older name of <see cref="ReadKey"/>, still read when <see cref="ReadKey"/> is not set.</summary>
    /// <value>Default: none.</value>
    public string? Key { get; set; }

    /// <summary>
    /// The key that lets a caller of <c>compliance serve</c> operate (start a scan, and every route that changes
    /// something) and read. Without it, operating routes are refused with 403 whenever a read key is set.
    /// </summary>
    /// <value>Default: none.</value>
    public string? OperatorKey { get; set; }

    /// <summary>
    /// Who decides the permission of a caller of the Functions app: <see cref="ApiAuthentication.FunctionKeys"/> (the
    /// host's function keys alone) or <see cref="ApiAuthentication.AppService"/> (App Service Authentication with Entra
    /// ID in front, and the caller's app roles). <c>compliance serve</c> uses its own keys whatever this says.
    /// </summary>
    /// <value>Default: <see cref="ApiAuthentication.FunctionKeys"/>.</value>
    public ApiAuthentication Authentication { get; set; } = ApiAuthentication.FunctionKeys;

    /// <summary>The largest page <c>GET /api/compliance</c> returns.</summary>
    /// <value>Default: 1000.</value>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>
    /// How many <c>/api</c> requests one client address may make per minute (an IPv6 client is its /64). Each address
    /// has a bucket that holds a minute's worth and refills evenly, so a caller may burst but no address can keep the
    /// store busy for the others; a request over the limit is a 429 with <c>Retry-After</c> (<see cref="ApiRateLimiter"/>).
    /// The default leaves room for the dashboard and scripted use; raise it for callers that page through a large fleet.
    /// </summary>
    /// <value>Default: 120.</value>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// How many <c>/api</c> requests one key (read, operator or function key) may make per minute, from all its
    /// addresses together, on top of each address's own <see cref="RequestsPerMinute"/>: a key shared by many machines
    /// stays bounded, and one busy machine does not lock out the others.
    /// </summary>
    /// <value>Default: 600.</value>
    [Range(1, 1_000_000)]
    public int CredentialRequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// How many failed authentications (a missing or wrong key, a missing role) one client address may make per minute;
    /// after that its requests are refused with 429 before any key is compared, until the bucket refills.
    /// </summary>
    /// <value>Default: 10.</value>
    [Range(1, 10_000)]
    public int FailedAuthenticationsPerMinute { get; set; } = 10;

    /// <summary>The read key in effect: <see cref="ReadKey"/>, else <see cref="Key"/>.</summary>
    public string? ReadKeyInEffect() => !string.IsNullOrWhiteSpace(ReadKey) ? ReadKey : string.IsNullOrWhiteSpace(Key) ? null : Key;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(ReadKey), ReadKey), (nameof(Key), Key), (nameof(OperatorKey), OperatorKey) })
        {
            if (!string.IsNullOrEmpty(value) && value.Trim().Length < MinKeyLength)
            {
                yield return new ValidationResult($"{SectionName}:{name} must have at least {MinKeyLength} characters.", [name]);
            }
        }

        if (!string.IsNullOrWhiteSpace(ReadKey) && !string.IsNullOrWhiteSpace(Key) && !string.Equals(ReadKey, Key, StringComparison.Ordinal))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Key)} is the older name of {nameof(ReadKey)}: set one of them.", [nameof(Key), nameof(ReadKey)]);
        }

        if (ReadKeyInEffect() is { } read && string.Equals(read, OperatorKey, StringComparison.Ordinal))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(OperatorKey)} must differ from the read key, or every reader could operate.", [nameof(OperatorKey)]);
        }

        if (!Enum.IsDefined(Authentication))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Authentication)} must be {nameof(ApiAuthentication.FunctionKeys)} or {nameof(ApiAuthentication.AppService)}.", [nameof(Authentication)]);
        }
    }
}
