namespace Vtls.Conformance.Transport;

/// <summary>
/// What a <see cref="FaultInjectingFilter"/> does to each call: pass it through, report an injected would-block,
/// limit it to a few bytes, end the stream, or reset it. Deterministic: the same schedule (and seed) makes the same
/// decisions for the same sequence of calls. Sends and receives are decided independently, so a send never starves
/// because receives happened to take the "pass" turns.
/// </summary>
/// <remarks>
/// A schedule keeps state (turn counters, its random generator): give each filter its own. Never two injected
/// would-blocks in a row for the same operation, so a driver always makes progress.
/// </remarks>
public sealed class FaultSchedule
{
    private readonly string _name;
    private readonly Func<FaultOperation, int, FaultDecision> _decide;
    private readonly bool[] _lastWasWouldBlock = new bool[2];

    private FaultSchedule(string name, Func<FaultOperation, int, FaultDecision>? decide = null)
    {
        _name = name;
        _decide = decide ?? ((_, length) => FaultDecision.Pass(length));
    }

    /// <summary>A new schedule that injects nothing.</summary>
    public static FaultSchedule None => new("none");

    /// <summary>
    /// Whether the schedule injects faults now (default true); a scenario can start it off and turn it on just
    /// before the step under test. While off, every call passes through untouched and no EOF or reset is injected.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Receive reports end of stream once this many bytes were received; null for never.</summary>
    public long? EndOfStreamAfter { get; private init; }

    /// <summary>Receive throws a transport reset once this many bytes were received; null for never.</summary>
    public long? ResetAfter { get; private init; }

    /// <summary>
    /// Every other send, and every other receive, reports would-block without touching the filter below.
    /// </summary>
    public static FaultSchedule WouldBlockEveryOtherCall()
    {
        var turns = new int[2];
        return new FaultSchedule(
            "would-block every other call",
            (op, length) => turns[(int)op]++ % 2 == 0 ? FaultDecision.WouldBlock : FaultDecision.Pass(length));
    }

    /// <summary>Every send and receive moves at most one byte.</summary>
    public static FaultSchedule OneByteAtATime() => new("one byte at a time", (_, _) => FaultDecision.Pass(1));

    /// <summary>
    /// A seeded random mix: about a quarter of calls each report would-block, move one byte, move a random part,
    /// or pass untouched.
    /// </summary>
    /// <param name="seed">The seed: the same seed gives the same sequence of decisions.</param>
    public static FaultSchedule Chaos(int seed)
    {
        // One generator per operation, so the send decisions do not depend on how receives interleave.
        var random = new[] { new Random(seed), new Random(unchecked(seed * 31 + 7)) };
        return new FaultSchedule($"chaos({seed})", (op, length) =>
        {
            var r = random[(int)op];
            return r.Next(4) switch
            {
                0 => FaultDecision.WouldBlock,
                1 => FaultDecision.Pass(1),
                2 => FaultDecision.Pass(1 + r.Next(Math.Max(length, 1))),
                _ => FaultDecision.Pass(length),
            };
        });
    }

    /// <summary>Receive reports end of stream (a transport EOF) after <paramref name="bytes"/> bytes.</summary>
    /// <param name="bytes">How many bytes to deliver first.</param>
    public static FaultSchedule EofAfterReceived(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return new FaultSchedule($"EOF after {bytes} received") { EndOfStreamAfter = bytes };
    }

    /// <summary>Receive throws a transport reset once <paramref name="bytes"/> bytes were received.</summary>
    /// <param name="bytes">How many bytes to deliver first.</param>
    public static FaultSchedule ResetAfterReceived(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return new FaultSchedule($"reset after {bytes} received") { ResetAfter = bytes };
    }

    /// <inheritdoc/>
    public override string ToString() => Enabled ? _name : $"{_name} (off)";

    /// <summary>Decides the next call of <paramref name="operation"/>, which asks to move
    /// <paramref name="length"/> (at least one) bytes.</summary>
    internal FaultDecision Decide(FaultOperation operation, int length)
    {
        if (!Enabled)
        {
            return FaultDecision.Pass(length);
        }

        var decision = _decide(operation, length);
        if (decision.IsWouldBlock && _lastWasWouldBlock[(int)operation])
        {
            // Two in a row would be legal, but a schedule that can repeat forever could stall a driver.
            decision = FaultDecision.Pass(length);
        }

        _lastWasWouldBlock[(int)operation] = decision.IsWouldBlock;
        return decision.IsWouldBlock ? decision : FaultDecision.Pass(Math.Clamp(decision.Limit, 1, length));
    }
}
