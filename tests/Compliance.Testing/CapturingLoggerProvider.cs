using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Compliance.Testing;

/// <summary>
/// Keeps every entry the app logs, at every level and with its structured values and scopes, for tests that check
/// what reaches the logs.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider? _scopes;

    /// <summary>The entries so far, in the order they were logged.</summary>
    public IReadOnlyList<CapturedLog> Entries => _entries.ToArray();

    /// <summary>The entries so far as lines of text (<see cref="CapturedLog.Line"/>).</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.Line)];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <summary>A logger of <typeparamref name="T"/>'s category whose every entry, at every level, this provider keeps.</summary>
    public ILogger<T> CreateLogger<T>() =>
        LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(this)).CreateLogger<T>();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        // The entries stay readable after the app that logged them is gone.
    }

    private static List<KeyValuePair<string, string?>> Values(object? state)
    {
        var values = new List<KeyValuePair<string, string?>>();
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            values.AddRange(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, Text(p.Value))));
        }
        else if (state is not null)
        {
            values.Add(new KeyValuePair<string, string?>(string.Empty, Text(state)));
        }

        return values;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Text)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<KeyValuePair<string, string?>>();
            provider._scopes?.ForEachScope((scope, list) => list.AddRange(Values(scope)), scopes);
            provider._entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), Values(state), scopes, exception?.ToString()));
        }
    }
}
