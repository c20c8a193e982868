using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Vtls.Conformance.Running;

/// <summary>
/// Keeps every trace line of one run (to judge V05 and to explain failures), and forwards to an outer factory.
/// </summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ILoggerFactory? _outer;

    public CapturingLoggerFactory(ILoggerFactory? outer) => _outer = outer;

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) =>
        new Capture(this, categoryName, _outer?.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Capture(CapturingLoggerFactory owner, string category, ILogger? outer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => outer?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
            outer?.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
