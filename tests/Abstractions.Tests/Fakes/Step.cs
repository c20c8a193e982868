namespace Vtls.Tests.Fakes;

/// <summary>One scripted outcome of a <see cref="ScriptedFilter"/> core operation.</summary>
internal abstract record Step
{
    /// <summary>Would-block, waiting for <paramref name="Interest"/>.</summary>
    public sealed record Block(IoInterest Interest) : Step;

    /// <summary>Connect or shutdown completes.</summary>
    public sealed record Done : Step;

    /// <summary>Send takes at most <paramref name="Count"/> bytes.</summary>
    public sealed record Take(int Count) : Step;

    /// <summary>Receive returns these bytes.</summary>
    public sealed record Data(byte[] Bytes) : Step;

    /// <summary>Receive reports end-of-stream.</summary>
    public sealed record Eos : Step;

    /// <summary>The operation fails with <paramref name="Error"/>.</summary>
    public sealed record Fail(Exception Error) : Step;

    public static Step WouldBlockRead { get; } = new Block(IoInterest.Read);

    public static Step WouldBlockWrite { get; } = new Block(IoInterest.Write);

    public static Step Completed { get; } = new Done();
}
