namespace Compliance.Cli;

/// <summary>The documented exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The scan is done and no resource needs an action.</summary>
    public const int Success = 0;

    /// <summary>Something failed: ARM unreachable, a subscription that could not be listed, a report that could not be written.</summary>
    public const int Failure = 1;

    /// <summary>The command line or its input is wrong.</summary>
    public const int UsageError = 2;

    /// <summary>The scan is done and at least one resource needs an action.</summary>
    public const int ActionRequired = 3;
}
