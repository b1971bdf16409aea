namespace Compliance.Core.Remediation;

/// <summary>A remediation request refused, with the reason a caller is shown.</summary>
public sealed class RemediationRefusedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public RemediationRefusedException(RemediationRefusalKind kind, string message)
        : base(message) => Kind = kind;

    /// <summary>Creates a refusal of kind <see cref="RemediationRefusalKind.Invalid"/>.</summary>
    public RemediationRefusedException()
        : this(RemediationRefusalKind.Invalid, "The request was refused.")
    {
    }

    /// <summary>Creates a refusal of kind <see cref="RemediationRefusalKind.Invalid"/>.</summary>
    public RemediationRefusedException(string message)
        : this(RemediationRefusalKind.Invalid, message)
    {
    }

    /// <summary>Creates a refusal of kind <see cref="RemediationRefusalKind.Invalid"/>.</summary>
    public RemediationRefusedException(string message, Exception innerException)
        : base(message, innerException) => Kind = RemediationRefusalKind.Invalid;

    /// <summary>Why.</summary>
    public RemediationRefusalKind Kind { get; }
}
