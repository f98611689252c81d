using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace UsageSdk.Tests.Infrastructure;

/// <summary>A logger provider that keeps, at every level, the formatted message, every structured value, the scopes and the exception text.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state) where TState : notnull
        {
            owner._entries.Enqueue((LogLevel.None, category, "scope: " + Flatten(state)));
            return new Scope();
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = $"{eventId.Name} {formatter(state, exception)} | {Flatten(state)} | {exception}";
            owner._entries.Enqueue((logLevel, category, text));
        }

        private static string Flatten(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? state + " {" + string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) + "}"
            : state?.ToString() ?? "";

        private sealed class Scope : IDisposable
        {
            public void Dispose() { }
        }
    }
}
