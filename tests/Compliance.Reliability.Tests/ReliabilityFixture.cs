namespace Compliance.Reliability.Tests;

/// <summary>
/// One Azurite for the cases that do not stop theirs, and the ledger; when the collection is done, writes
/// <c>reliability.md</c> and <c>reliability.json</c> to <see cref="ReliabilitySettings.OutputDirectory"/>
/// (<c>tools/test.sh</c> then copies the Markdown to <c>docs/reliability.md</c>).
/// </summary>
public sealed class ReliabilityFixture : IAsyncLifetime
{
    public ReliabilityLedger Ledger { get; } = new();

    public AzuriteFixture Azurite { get; } = new();

    public string ConnectionString => Azurite.ConnectionString;

    public Task InitializeAsync() => Azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Azurite.DisposeAsync();

        Directory.CreateDirectory(ReliabilitySettings.OutputDirectory);
        await File.WriteAllTextAsync(Path.Combine(ReliabilitySettings.OutputDirectory, "reliability.md"), Ledger.ToMarkdown(ReliabilitySettings.Soak));
        await File.WriteAllTextAsync(Path.Combine(ReliabilitySettings.OutputDirectory, "reliability.json"), Ledger.ToJson());
    }
}
