namespace Vtls.Conformance.Wire;

/// <summary>Which way bytes travel through the <see cref="WireRecorder"/>.</summary>
public enum WireDirection
{
    /// <summary>From the client (who connected to the recorder) to the server.</summary>
    ClientToServer,

    /// <summary>From the server back to the client.</summary>
    ServerToClient,
}

/// <summary>How one side's TCP stream toward the recorder ended, as the recorder observed it.</summary>
public enum StreamEnd
{
    /// <summary>Still open: neither FIN nor RST seen yet.</summary>
    Open,

    /// <summary>The sender half-closed with FIN (an orderly end of its byte stream).</summary>
    Fin,

    /// <summary>The sender reset the connection (RST), or the socket failed.</summary>
    Reset,
}
