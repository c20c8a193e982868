using System.Globalization;
using Vtls.Conformance.Running;

namespace Vtls.Cli.Output;

/// <summary>One line on standard error per finished run, numbered, as the runs finish (several run at once).</summary>
internal sealed class ConformanceProgress : IProgress<RunResult>
{
    private readonly TextWriter _writer;
    private readonly object _gate = new();
    private int _done;
    private int _failed;

    /// <summary>Creates the reporter.</summary>
    /// <param name="writer">Standard error.</param>
    public ConformanceProgress(TextWriter writer)
    {
        _writer = writer;
    }

    /// <inheritdoc/>
    public void Report(RunResult value)
    {
        lock (_gate)
        {
            _done++;
            if (value.Outcome == Outcome.Fail)
            {
                _failed++;
            }

            string seconds = value.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            _writer.WriteLine(
                $"[{_done,4}] {ConformanceJson.Name(value.Outcome),-4} {value.Scenario} {value.Backend} "
                + $"vs {value.Peer}, {value.Role}, {value.Protocol}, {value.Transport} ({seconds} s)"
                + (_failed > 0 ? $"  [{_failed} failed so far]" : ""));
        }
    }
}
