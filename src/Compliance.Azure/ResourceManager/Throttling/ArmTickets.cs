namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>A request's places in line at the pacers of the buckets it draws from.</summary>
internal readonly record struct ArmTickets(PacerTicket Arm, PacerTicket Compute);
