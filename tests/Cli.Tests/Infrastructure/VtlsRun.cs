using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vtls.Cli;

namespace Vtls.Tests.Infrastructure;

/// <summary>
/// One <c>vtls</c> command run in-process on its own task, with captured standard output and error, bounded in
/// time: a test that waits too long gets a <see cref="TimeoutException"/> with the command's standard error.
/// </summary>
internal sealed partial class VtlsRun : IAsyncDisposable
{
    /// <summary>How long any single wait on a command may take.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _cancel = new();

    private VtlsRun(Stream input, string[] args)
    {
        Input = input;
        var context = new CliContext(
            input,
            Output,
            Error,
            BackendSetup.CreateRegistry(),
            () => WriterLoggerProvider.CreateFactory(Error));
        Exit = Task.Run(() => VtlsApp.RunAsync(args, context, _cancel.Token));
    }

    /// <summary>What the command reads as standard input.</summary>
    public Stream Input { get; }

    /// <summary>Standard output.</summary>
    public CapturedOutput Output { get; } = new();

    /// <summary>Standard error (status lines, errors and <c>-v</c> traces).</summary>
    public WatchedWriter Error { get; } = new();

    /// <summary>Completes with the exit code.</summary>
    public Task<int> Exit { get; }

    /// <summary>Starts <c>vtls ARGS</c> with <paramref name="input"/> as standard input.</summary>
    /// <param name="input">Standard input.</param>
    /// <param name="args">The arguments.</param>
    public static VtlsRun Start(Stream input, params string[] args) => new(input, args);

    /// <summary>Starts <c>vtls ARGS</c> with standard input holding <paramref name="input"/> and then ending.</summary>
    /// <param name="input">The whole standard input, as text.</param>
    /// <param name="args">The arguments.</param>
    public static VtlsRun Start(string input, params string[] args) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(input)), args);

    /// <summary>Runs <c>vtls ARGS</c> to its end, with empty standard input.</summary>
    /// <param name="args">The arguments.</param>
    public static async Task<VtlsRun> RunAsync(params string[] args)
    {
        var run = Start("", args);
        await run.WaitForExitAsync();
        return run;
    }

    /// <summary>Waits for the exit code.</summary>
    /// <exception cref="TimeoutException">The command did not end in time; it is interrupted.</exception>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            return await Exit.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            await _cancel.CancelAsync();
            throw new TimeoutException($"vtls did not exit within {Patience}. Its standard error:\n{Error.Text}");
        }
    }

    /// <summary>Waits for <c>vtls serve</c> to say where it listens.</summary>
    /// <returns>The port.</returns>
    public async Task<int> ListeningPortAsync()
    {
        var match = await Error.WaitForAsync(ListeningPattern(), Patience);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for <c>vtls serve</c> to print the pin of its self-signed certificate.</summary>
    public async Task<string> PinAsync()
    {
        var match = await Error.WaitForAsync(PinPattern(), Patience);
        return match.Value;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        try
        {
            await Exit.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            // Reported by the test that waited; nothing more to do here.
        }

        _cancel.Dispose();
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningPattern();

    [GeneratedRegex(@"sha256//[A-Za-z0-9+/=]+")]
    private static partial Regex PinPattern();
}
