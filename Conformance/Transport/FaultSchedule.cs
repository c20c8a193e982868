namespace Vtls.Conformance.Transport;

/// <summary>
/// What a <see cref="FaultInjectingFilter"/> does to each call: pass it through, report an injected would-block,
/// limit it to a few bytes, end the stream, or reset it. Deterministic: the same schedule (and seed) gives the same
/// decisions for the same sequence of calls.
/// </summary>
public sealed class FaultSchedule
{
    /// <summary>A schedule that injects nothing.</summary>
    public static FaultSchedule None => throw new NotImplementedException();

    /// <summary>Whether the schedule injects faults now; scenarios turn it on just before the step under test.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every other send and receive call reports would-block without touching the filter below.</summary>
    public static FaultSchedule WouldBlockEveryOtherCall() => throw new NotImplementedException();

    /// <summary>Every send and receive moves at most one byte.</summary>
    public static FaultSchedule OneByteAtATime() => throw new NotImplementedException();

    /// <summary>A seeded random mix of injected would-blocks, one-byte and partial sends and receives.</summary>
    /// <param name="seed">The seed: the same seed gives the same sequence of decisions.</param>
    public static FaultSchedule Chaos(int seed) => throw new NotImplementedException();

    /// <summary>Receive reports end of stream (a transport EOF) once <paramref name="bytes"/> bytes were received.</summary>
    /// <param name="bytes">How many bytes to deliver first.</param>
    public static FaultSchedule EofAfterReceived(long bytes) => throw new NotImplementedException();

    /// <summary>Receive throws a transport reset once <paramref name="bytes"/> bytes were received.</summary>
    /// <param name="bytes">How many bytes to deliver first.</param>
    public static FaultSchedule ResetAfterReceived(long bytes) => throw new NotImplementedException();
}
