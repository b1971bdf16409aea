using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Compliance.Server.Hosting;

/// <summary>
/// Refuses to run the API open beyond loopback. Whether it needs a key is decided from the addresses the server
/// actually bound, after every source of configuration has had its say (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, the
/// <c>Kestrel:Endpoints</c> section, which overrides the others, wildcards and host names): if any is not loopback and
/// no read key is set, the app's start fails with a message that says what to set. The server starts after the app's
/// own hosted services, so the check runs once everything has started (<see cref="StartedAsync"/>); until it has
/// passed, every request is answered 503 (<see cref="Passed"/>), and the app's workers (the scheduler, the queue
/// consumers) are started by this check only once it has passed, so a refused start has done no work at all.
/// </summary>
internal sealed class ListenCheck(IServer server, ApiKeys keys, IReadOnlyList<IHostedService> workers) : IHostedLifecycleService
{
    private readonly List<IHostedService> _started = [];
    private volatile bool _passed;

    /// <summary>Whether the bound addresses were checked and found acceptable.</summary>
    public bool Passed => _passed;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (addresses.Count == 0)
        {
            throw new InvalidOperationException("The server has bound no address, so whether the API needs a key cannot be decided.");
        }

        var beyond = addresses.Where(a => !ListenAddresses.IsLoopback(a)).ToList();
        if (beyond.Count > 0 && !keys.HasReadKey)
        {
            throw new ListenRefusedException(
                $"The app listens on {string.Join(", ", beyond)}, beyond loopback: set {ApiOptions.SectionName}:{nameof(ApiOptions.ReadKey)} " +
                $"(at least {ApiOptions.MinKeyLength} characters; and {nameof(ApiOptions.OperatorKey)} to start scans) so the API requires it, or listen on loopback only.");
        }

        _passed = true;
        foreach (var worker in workers)
        {
            await worker.StartAsync(cancellationToken).ConfigureAwait(false);
            _started.Add(worker);
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The host stops the server first (it started last), then this: the workers stop in the reverse order of their start.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(cancellationToken).ConfigureAwait(false);
        }

        _started.Clear();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
