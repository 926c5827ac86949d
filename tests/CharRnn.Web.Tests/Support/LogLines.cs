using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CharRnn.Web.Tests.Support;

/// <summary>Every log line the test server writes, with its category and its named fields.</summary>
public sealed class LogLines : ILoggerProvider
{
    public sealed record Line(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);

    private readonly ConcurrentQueue<Line> _lines = new();

    public IReadOnlyList<Line> All => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<Line> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            lines.Enqueue(new Line(category, logLevel, formatter(state, exception), fields));
        }
    }
}
