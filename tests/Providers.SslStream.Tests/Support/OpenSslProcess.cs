using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vtls.Tests.Support;

/// <summary>
/// An <c>openssl s_server</c> or <c>s_client</c> process for a test: output captured line by line, every wait
/// bounded, and the process killed on dispose.
/// </summary>
internal sealed partial class OpenSslProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _gate = new();

    private OpenSslProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>openssl s_server</c> on 127.0.0.1 with an OS-chosen port, for one connection.</summary>
    /// <returns>The process and the port it listens on.</returns>
    public static (OpenSslProcess Server, int Port) StartServer(PemPaths pem, params string[] extra)
    {
        var server = Start(
            ["s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-cert", pem.Certificate, "-key", pem.Key,
             "-msg", .. extra]);
        var line = server.WaitForLine(AcceptLine());
        return (server, int.Parse(AcceptLine().Match(line).Groups[1].Value));
    }

    public static OpenSslProcess Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new OpenSslProcess(Process.Start(info) ?? throw new InvalidOperationException("openssl did not start"));
    }

    /// <summary>Waits (bounded) for a line matching <paramref name="pattern"/> and returns it.</summary>
    public string WaitForLine(Regex pattern, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Drive.DefaultTimeout);
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                var hit = _lines.FirstOrDefault(pattern.IsMatch);
                if (hit is not null)
                {
                    return hit;
                }
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException($"openssl never printed /{pattern}/. Output:\n{Output}");
    }

    public string WaitForLine(string text, TimeSpan? timeout = null) =>
        WaitForLine(new Regex(Regex.Escape(text)), timeout);

    /// <summary>Writes to the process's standard input.</summary>
    public void Write(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
    }

    /// <summary>Closes standard input: s_client then sends close_notify; s_server closes without one.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits (bounded) for the process to end.</summary>
    public bool WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? Drive.DefaultTimeout))
        {
            return false;
        }

        // The process has ended; this overload also waits for the last output lines to be delivered.
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(Drive.DefaultTimeout);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
        }
    }

    [GeneratedRegex(@"^ACCEPT .*:(\d+)$")]
    private static partial Regex AcceptLine();
}

/// <summary>A certificate and key on disk for an external tool.</summary>
internal sealed record PemPaths(string Certificate, string Key, string CaCertificate);
