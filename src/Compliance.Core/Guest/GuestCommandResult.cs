namespace Compliance.Core.Guest;

/// <summary>What running the guest script returned: its output streams, or why it did not run to completion.</summary>
public sealed record GuestCommandResult
{
    private GuestCommandResult(string? stdout, string? stderr, GuestCheckFailure? failure)
    {
        Stdout = stdout;
        Stderr = stderr;
        Failure = failure;
    }

    /// <summary>The script's stdout (as much as the platform kept), when it ran.</summary>
    public string? Stdout { get; }

    /// <summary>The script's stderr, when it ran.</summary>
    public string? Stderr { get; }

    /// <summary>Why the script did not run, when it did not.</summary>
    public GuestCheckFailure? Failure { get; }

    /// <summary>The script ran; its output still has to be parsed.</summary>
    public static GuestCommandResult Completed(string stdout, string? stderr) => new(stdout ?? string.Empty, stderr, null);

    /// <summary>The script did not run to completion.</summary>
    public static GuestCommandResult Failed(GuestCheckFailure failure) => new(null, null, failure ?? throw new ArgumentNullException(nameof(failure)));
}
