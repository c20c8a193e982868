using Vtls.Conformance.Running;

namespace Vtls.Cli.Output;

/// <summary>The matrix as a table, the details of every failure, and the summary line.</summary>
internal static class ConformanceReport
{
    private const int DetailWidth = 90;

    /// <summary>The summary: <c>N passed, N failed, N skipped</c>.</summary>
    /// <param name="results">The results.</param>
    public static string Summary(IReadOnlyCollection<RunResult> results) =>
        $"{Count(results, Outcome.Pass)} passed, {Count(results, Outcome.Fail)} failed, "
        + $"{Count(results, Outcome.Skip)} skipped";

    /// <summary>Writes the table, then each failure in full, then the summary line.</summary>
    /// <param name="results">The results, in matrix order.</param>
    /// <param name="writer">Standard output.</param>
    public static void Write(IReadOnlyList<RunResult> results, TextWriter writer)
    {
        var table = new TextTable("SCENARIO", "BACKEND", "PEER", "ROLE", "PROTOCOL", "TRANSPORT", "OUTCOME", "DETAIL");
        foreach (var r in results)
        {
            string detail = r.Outcome == Outcome.Pass ? "" : Shorten(r.Detail);
            table.Add(r.Scenario, r.Backend, r.Peer, r.Role, r.Protocol, r.Transport, Label(r.Outcome), detail);
        }

        table.Write(writer);
        var failures = results.Where(r => r.Outcome == Outcome.Fail).ToArray();
        if (failures.Length > 0)
        {
            writer.WriteLine();
            writer.WriteLine("Failures:");
            foreach (var r in failures)
            {
                writer.WriteLine($"  {r.Scenario} {r.Backend} vs {r.Peer}, {r.Role}, {r.Protocol}, {r.Transport}:");
                writer.WriteLine($"    {r.Detail}");
            }
        }

        writer.WriteLine();
        writer.WriteLine(Summary(results));
    }

    private static string Label(Outcome outcome) => outcome switch
    {
        Outcome.Pass => "pass",
        Outcome.Fail => "FAIL",
        _ => "skip",
    };

    private static string Shorten(string detail)
    {
        string oneLine = detail.ReplaceLineEndings(" ");
        return oneLine.Length <= DetailWidth ? oneLine : string.Concat(oneLine.AsSpan(0, DetailWidth - 3), "...");
    }

    private static int Count(IEnumerable<RunResult> results, Outcome outcome) =>
        results.Count(r => r.Outcome == outcome);
}
