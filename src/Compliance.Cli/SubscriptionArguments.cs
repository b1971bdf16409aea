namespace Compliance.Cli;

/// <summary>The <c>--subscription</c> values of a command: each must be a subscription id.</summary>
internal static class SubscriptionArguments
{
    /// <exception cref="UsageException">A value is not a GUID.</exception>
    public static void Check(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (!Guid.TryParse(id, out _))
            {
                // Echoed to the terminal: control characters shown as '?', so the value cannot carry escape sequences.
                var shown = new string([.. id.Select(c => char.IsControl(c) ? '?' : c)]);
                throw new UsageException($"--subscription '{shown}' is not a subscription id (a GUID).");
            }
        }
    }
}
