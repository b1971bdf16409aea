using Compliance.Emulator.Azurite;

namespace Compliance.Reliability.Tests;

/// <summary>
/// One Azurite for the cases that do not stop theirs, and the ledger; when the collection is done, writes
/// <c>reliability.md</c> and <c>reliability.json</c> to <see cref="ReliabilitySettings.OutputDirectory"/>
/// (<c>tools/test.sh</c> then copies the Markdown to <c>docs/reliability.md</c>).
/// </summary>
public sealed class ReliabilityFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public ReliabilityLedger Ledger { get; } = new();

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Directory.CreateDirectory(ReliabilitySettings.OutputDirectory);
        await File.WriteAllTextAsync(Path.Combine(ReliabilitySettings.OutputDirectory, "reliability.md"), Ledger.ToMarkdown(ReliabilitySettings.Soak));
        await File.WriteAllTextAsync(Path.Combine(ReliabilitySettings.OutputDirectory, "reliability.json"), Ledger.ToJson());
    }
}
