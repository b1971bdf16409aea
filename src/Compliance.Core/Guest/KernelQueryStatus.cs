namespace Compliance.Core.Guest;

/// <summary>How an <c>NtQuerySystemInformation</c> call in the guest ended.</summary>
public enum KernelQueryStatus
{
    /// <summary>The call succeeded; the flags are valid.</summary>
    Ok,

    /// <summary>
    /// STATUS_INVALID_INFO_CLASS or STATUS_NOT_IMPLEMENTED: the kernel predates the January 2018 update.
    /// </summary>
    NotSupported,

    /// <summary>Any other failure; the flags are unknown.</summary>
    Error,
}
