using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vtls.Tests.Infrastructure;

/// <summary>
/// An <c>openssl</c> or <c>gnutls</c> command-line peer on loopback: standard input held open until
/// <see cref="EndInput"/>, standard output and error captured together, killed on dispose.
/// </summary>
internal sealed partial class ToolProcess : IDisposable
{
    private readonly Process _process;

    private ToolProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Standard output and error, interleaved.</summary>
    public WatchedWriter Output { get; } = new();

    /// <summary>
    /// Fails the test, with how to fix it, when <c>openssl</c> cannot be started: <c>scripts/setup.sh</c> installs
    /// it, and the README's test command runs that first.
    /// </summary>
    public static void RequireOpenSsl()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("openssl", "version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            Assert.True(probe!.WaitForExit(5000), "openssl version did not answer within 5 s.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"openssl is needed as the peer of these tests ({e.Message}); run 'bash scripts/setup.sh'.");
        }
    }

    /// <summary>Starts <paramref name="tool"/> with <paramref name="args"/>.</summary>
    /// <param name="tool">The program.</param>
    /// <param name="args">Its arguments.</param>
    public static ToolProcess Start(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var peer = new ToolProcess(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Starts <c>openssl s_server</c> on 127.0.0.1 with a port of the system's choice.</summary>
    /// <param name="files">The server certificate and key.</param>
    /// <param name="extra">More arguments, for example <c>-tls1_2</c>.</param>
    public static ToolProcess StartOpenSslServer(Conformance.Pki.PemFiles files, params string[] extra) =>
        Start(
            "openssl",
            ["s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-cert", files.ServerCertificate,
                "-key", files.ServerKey, .. extra]);

    /// <summary>Waits for <c>openssl s_server</c>'s <c>ACCEPT</c> line.</summary>
    /// <returns>The port it listens on.</returns>
    public async Task<int> AcceptPortAsync()
    {
        var match = await Output.WaitForAsync(AcceptPattern(), VtlsRun.Patience);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Writes to the tool's standard input.</summary>
    /// <param name="text">The text.</param>
    public async Task WriteInputAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes the tool's standard input (its end of input).</summary>
    public void EndInput() => _process.StandardInput.Close();

    /// <summary>Waits for the tool to exit.</summary>
    /// <returns>Its exit code.</returns>
    public async Task<int> WaitForExitAsync()
    {
        using var limit = new CancellationTokenSource(VtlsRun.Patience);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The tool did not exit within {VtlsRun.Patience}. Output:\n{Output.Text}");
        }

        // The asynchronous readers may still hold the last lines; WaitForExit() without a timeout drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            Output.WriteLine(line);
        }
    }

    [GeneratedRegex(@"ACCEPT 127\.0\.0\.1:(\d+)")]
    private static partial Regex AcceptPattern();
}
