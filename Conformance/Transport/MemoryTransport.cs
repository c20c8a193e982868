namespace Vtls.Conformance.Transport;

/// <summary>
/// An in-memory, non-blocking duplex pipe: two bottom filters whose sends land in the other's receive buffer.
/// Would-block when empty or full, end of stream after the other side's shutdown (its FIN), and a reset on demand.
/// </summary>
public static class MemoryTransport
{
    /// <summary>Creates two connected ends.</summary>
    /// <param name="capacity">Bytes each direction buffers before sends would block.</param>
    public static (ConnectionFilter A, ConnectionFilter B) CreatePair(int capacity = 256 * 1024) =>
        throw new NotImplementedException();
}
