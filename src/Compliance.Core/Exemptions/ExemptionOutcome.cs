namespace Compliance.Core.Exemptions;

/// <summary>How a change of an exemption ended.</summary>
public enum ExemptionOutcome
{
    /// <summary>Made.</summary>
    Created,

    /// <summary>Replaced.</summary>
    Replaced,

    /// <summary>Removed.</summary>
    Removed,

    /// <summary>Refused: the input is not valid.</summary>
    Invalid,

    /// <summary>There is no such exemption.</summary>
    NotFound,

    /// <summary>Refused: the stored version is not the one the caller named.</summary>
    PreconditionFailed,

    /// <summary>Refused: it changed while being written; try again.</summary>
    Conflict,
}
