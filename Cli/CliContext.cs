using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Vtls.Cli;

/// <summary>
/// Everything a command touches outside itself: standard input and output as byte streams (TLS payloads are
/// bytes, not text), standard error for status and traces, the backends, and where <c>-v</c> traces go. Tests
/// build one over in-memory streams and run the commands in-process.
/// </summary>
internal sealed class CliContext
{
    private readonly Func<ILoggerFactory> _createTraceLoggerFactory;
    private TextWriter? _out;

    /// <summary>Creates a context.</summary>
    /// <param name="input">Standard input: what <c>connect</c> and <c>serve</c> send.</param>
    /// <param name="output">Standard output: what they receive, and the tables of the other commands.</param>
    /// <param name="error">Standard error: progress, status lines, warnings, errors and <c>-v</c> traces.</param>
    /// <param name="registry">The backends to choose from.</param>
    /// <param name="createTraceLoggerFactory">
    /// Makes the logger factory for <c>-v</c>; by default a one-line console logger on standard error.
    /// </param>
    public CliContext(
        Stream input,
        Stream output,
        TextWriter error,
        TlsBackendRegistry registry,
        Func<ILoggerFactory>? createTraceLoggerFactory = null)
    {
        Input = input;
        Output = output;
        Error = error;
        Registry = registry;
        _createTraceLoggerFactory = createTraceLoggerFactory ?? CreateConsoleTraceLoggerFactory;
    }

    /// <summary>Standard input, as bytes.</summary>
    public Stream Input { get; }

    /// <summary>Standard output, as bytes.</summary>
    public Stream Output { get; }

    /// <summary>Standard output, as text (UTF-8, flushed on every write) for tables and help.</summary>
    public TextWriter Out => _out ??= new StreamWriter(Output, new UTF8Encoding(false), 4096, leaveOpen: true)
    {
        AutoFlush = true,
        NewLine = "\n",
    };

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The backends.</summary>
    public TlsBackendRegistry Registry { get; }

    /// <summary>
    /// Whether Ctrl-C and SIGTERM cancel the running command (true for the real process; tests cancel with
    /// their own token instead).
    /// </summary>
    public bool HandlesTermination { get; init; }

    /// <summary>The context of the real process: the console's streams and every backend that ships.</summary>
    public static CliContext ForProcess() =>
        new(
            Console.OpenStandardInput(),
            Console.OpenStandardOutput(),
            Console.Error,
            BackendSetup.CreateRegistry())
        {
            HandlesTermination = true,
        };

    /// <summary>Creates the logger factory for a <c>-v</c> trace; the caller disposes it (which flushes it).</summary>
    public ILoggerFactory CreateTraceLoggerFactory() => _createTraceLoggerFactory();

    /// <summary>Writes a status line (<c>* ...</c>) on standard error, as curl -v does.</summary>
    /// <param name="message">The line, without the prefix.</param>
    public void Status(string message) => Error.WriteLine($"* {message}");

    /// <summary>Writes a warning on standard error.</summary>
    /// <param name="message">The warning.</param>
    public void Warn(string message) => Error.WriteLine($"vtls: warning: {message}");

    /// <summary>Writes an error on standard error.</summary>
    /// <param name="message">The error.</param>
    public void Fail(string message) => Error.WriteLine($"vtls: {message}");

    private static ILoggerFactory CreateConsoleTraceLoggerFactory() =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Debug)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.IncludeScopes = false;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            }));
}
