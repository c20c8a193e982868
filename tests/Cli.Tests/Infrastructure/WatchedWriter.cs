using System.Text;
using System.Text.RegularExpressions;

namespace Vtls.Tests.Infrastructure;

/// <summary>A thread-safe text sink a test can wait on: standard error of an in-process command.</summary>
internal sealed class WatchedWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    /// <summary>Waits until <paramref name="pattern"/> matches the text.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <exception cref="TimeoutException">It did not match in time; the message holds the text.</exception>
    public async Task<Match> WaitForAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var match = pattern.Match(Text);
            if (match.Success)
            {
                return match;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{pattern}' did not appear within {timeout}. Text so far:\n{Text}");
            }

            await Task.Delay(20);
        }
    }
}
