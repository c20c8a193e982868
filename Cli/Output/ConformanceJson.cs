using System.Text.Json;
using Vtls.Conformance.Running;

namespace Vtls.Cli.Output;

/// <summary>
/// Writes conformance results as a JSON array of
/// <c>{"scenario","backend","peer","role","protocol","transport","outcome","detail"}</c> objects, outcome being
/// <c>pass</c>, <c>fail</c> or <c>skip</c>.
/// </summary>
internal static class ConformanceJson
{
    /// <summary>The outcome as the JSON and the table spell it.</summary>
    /// <param name="outcome">The verdict.</param>
    public static string Name(Outcome outcome) => outcome switch
    {
        Outcome.Pass => "pass",
        Outcome.Fail => "fail",
        _ => "skip",
    };

    /// <summary>Writes <paramref name="results"/> to <paramref name="stream"/>.</summary>
    /// <param name="results">The results, in matrix order.</param>
    /// <param name="stream">Where to write; left open.</param>
    public static void Write(IEnumerable<RunResult> results, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var result in results)
        {
            json.WriteStartObject();
            json.WriteString("scenario", result.Scenario);
            json.WriteString("backend", result.Backend);
            json.WriteString("peer", result.Peer);
            json.WriteString("role", result.Role);
            json.WriteString("protocol", result.Protocol);
            json.WriteString("transport", result.Transport);
            json.WriteString("outcome", Name(result.Outcome));
            json.WriteString("detail", result.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Writes <paramref name="results"/> to the file <paramref name="path"/>, replacing it.</summary>
    /// <param name="results">The results.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="UsageException">The file cannot be written.</exception>
    public static void WriteFile(IEnumerable<RunResult> results, string path)
    {
        try
        {
            using var file = File.Create(path);
            Write(results, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write the JSON report '{path}': {e.Message}", e);
        }
    }
}
