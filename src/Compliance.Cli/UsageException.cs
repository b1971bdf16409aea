namespace Compliance.Cli;

/// <summary>The command line or an input it names is wrong (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
