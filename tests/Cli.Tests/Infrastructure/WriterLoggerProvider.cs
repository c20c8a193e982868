using Microsoft.Extensions.Logging;

namespace Vtls.Tests.Infrastructure;

/// <summary>Writes log lines to a <see cref="TextWriter"/>, so a test sees a command's <c>-v</c> trace.</summary>
internal sealed class WriterLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _writer;

    /// <summary>Creates the provider.</summary>
    /// <param name="writer">Where lines go.</param>
    public WriterLoggerProvider(TextWriter writer)
    {
        _writer = writer;
    }

    /// <summary>A factory over <paramref name="writer"/> at Debug.</summary>
    /// <param name="writer">Where lines go.</param>
    public static ILoggerFactory CreateFactory(TextWriter writer) =>
        LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new WriterLoggerProvider(writer)));

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(_writer, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            writer.WriteLine($"{logLevel}: {category}: {formatter(state, exception)}");
    }
}
