namespace Vtls.Conformance.Catalogue;

/// <summary>What a scenario needs the peer to be able to do.</summary>
[Flags]
public enum PeerAbilities
{
    /// <summary>Only a handshake, and then whatever the peer does by itself.</summary>
    None = 0,

    /// <summary>Sends application data when the suite asks.</summary>
    SendsOnDemand = 1 << 0,

    /// <summary>Starts a graceful close when asked, and its close_notify reaches the wire.</summary>
    InitiatesCloseNotify = 1 << 1,

    /// <summary>Answers a received close_notify with its own.</summary>
    AnswersCloseNotify = 1 << 2,

    /// <summary>Reports how the stream from the backend under test ended (clean, truncated, alert, reset).</summary>
    ReportsEnd = 1 << 3,

    /// <summary>Keeps sending application data after it received close_notify, then answers it.</summary>
    SendsAfterCloseNotify = 1 << 4,

    /// <summary>Shows its received data to the suite, which checks every byte.</summary>
    ReceivesData = 1 << 5,
}
