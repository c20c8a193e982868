namespace Vtls.Conformance.Transport;

/// <summary>
/// An in-memory, non-blocking duplex pipe: two bottom filters whose sends land in the other's receive buffer,
/// with TCP's shapes of ending (FIN, RST) and none of its timing. See <see cref="MemoryPipeEnd"/> for the rules.
/// </summary>
public static class MemoryTransport
{
    /// <summary>Creates two connected ends.</summary>
    /// <param name="capacity">Bytes each direction buffers before sends would block.</param>
    public static (MemoryPipeEnd A, MemoryPipeEnd B) CreatePair(int capacity = 256 * 1024)
    {
        var pipe = new MemoryPipe(capacity);
        return (new MemoryPipeEnd(pipe, 0), new MemoryPipeEnd(pipe, 1));
    }
}
