namespace Compliance.Emulator.Arm;

/// <summary>
/// One token a request needs: from the bucket <paramref name="Key"/> of policy <paramref name="Policy"/>.
/// </summary>
/// <param name="Policy">The policy name, as the headers, 429 bodies and <see cref="ArmEmulator.ThrottledByPolicy"/> spell it.</param>
/// <param name="Key">The bucket: the policy and its scope (tenant, subscription, subscription and region, or resource).</param>
/// <param name="Limit">The bucket's size and refill, used when the bucket is first needed.</param>
internal sealed record BucketDemand(string Policy, string Key, TokenBucketLimit Limit);
