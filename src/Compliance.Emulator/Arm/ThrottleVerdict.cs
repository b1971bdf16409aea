namespace Compliance.Emulator.Arm;

/// <summary>
/// What <see cref="RequestThrottle"/> decided for one request, with what the answer's headers report.
/// </summary>
/// <param name="Admitted">Whether the request took its tokens and goes on.</param>
/// <param name="ArmRemaining">Tokens left in the ARM bucket.</param>
/// <param name="ComputeRemaining">
/// Tokens left in each Compute bucket, in <see cref="RequestCost.Compute"/> order; empty when ARM refused the
/// request, since it then never reached Microsoft.Compute.
/// </param>
/// <param name="Culprit">The empty bucket the 429 names; <see langword="null"/> when admitted.</param>
/// <param name="RetryAfter">How long until every bucket the request needs has a token again.</param>
/// <param name="At">When the decision was made, by the emulator's clock.</param>
/// <param name="MeasuredCount">The culprit's capacity plus the requests it has refused in a row.</param>
internal sealed record ThrottleVerdict(
    bool Admitted,
    long ArmRemaining,
    IReadOnlyList<(string Policy, long Remaining)> ComputeRemaining,
    BucketDemand? Culprit,
    TimeSpan RetryAfter,
    DateTimeOffset At,
    int MeasuredCount)
{
    /// <summary>
    /// The answer of an emulator that throttles nothing: admitted, each bucket full but for this request's token, as a
    /// lone request would find Azure's buckets.
    /// </summary>
    public static ThrottleVerdict Unlimited(RequestCost cost, DateTimeOffset at) => new(
        true,
        cost.Arm.Limit.Capacity - 1,
        cost.Compute.Select(d => (d.Policy, (long)(d.Limit.Capacity - 1))).ToArray(),
        null,
        TimeSpan.Zero,
        at,
        0);
}
