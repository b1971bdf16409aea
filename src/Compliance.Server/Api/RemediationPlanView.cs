using Compliance.Core.Remediation;

namespace Compliance.Server.Api;

/// <summary>A plan with its steps, as the API answers it.</summary>
/// <param name="Plan">The plan and its audit trail.</param>
/// <param name="Steps">One per machine: what runs, what came of it, the verifying re-check.</param>
public sealed record RemediationPlanView(RemediationPlan Plan, IReadOnlyList<RemediationStep> Steps);
