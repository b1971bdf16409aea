namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>A request as the rate limits see it: its kind and the buckets it draws from.</summary>
internal sealed record ArmRequest(ArmRequestKind Kind, IRequestPacer Arm, IRequestPacer? Compute);
