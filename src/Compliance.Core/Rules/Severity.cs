namespace Compliance.Core.Rules;

/// <summary>How much a finding matters.</summary>
public enum Severity
{
    /// <summary>For information; not non-compliance.</summary>
    Info,

    /// <summary>Low.</summary>
    Low,

    /// <summary>Medium.</summary>
    Medium,

    /// <summary>High.</summary>
    High,
}
