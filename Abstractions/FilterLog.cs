using Microsoft.Extensions.Logging;

namespace Vtls;

/// <summary>
/// Trace messages shared by every filter, in the manner of curl's <c>-v</c>:
/// <c>[tls] shutdown() -> WouldBlock (wants Read)</c>. Event ids 1000-1099 belong to the abstractions.
/// </summary>
internal static partial class FilterLog
{
    [LoggerMessage(1000, LogLevel.Debug, "[{Filter}] {Operation}() -> {Progress} (wants {Interest})")]
    public static partial void Step(
        ILogger logger,
        string filter,
        string operation,
        Progress progress,
        IoInterest interest);

    [LoggerMessage(1001, LogLevel.Debug, "[{Filter}] receive() -> end of stream")]
    public static partial void EndOfStream(ILogger logger, string filter);

    [LoggerMessage(1002, LogLevel.Debug, "[{Filter}] close(): released, nothing sent")]
    public static partial void Closed(ILogger logger, string filter);

    [LoggerMessage(1003, LogLevel.Debug, "[{Filter}] failed ({Kind}): {Reason}")]
    public static partial void Failed(ILogger logger, string filter, TlsErrorKind kind, string reason);

    [LoggerMessage(1010, LogLevel.Debug, "[chain] shutdown: skipping {Filter} ({Reason})")]
    public static partial void ShutdownSkipped(ILogger logger, string filter, string reason);

    [LoggerMessage(1011, LogLevel.Debug, "[chain] shutdown budget of {Budget} ran out; closing")]
    public static partial void ShutdownBudgetExpired(ILogger logger, TimeSpan budget);

    [LoggerMessage(1012, LogLevel.Debug, "[chain] shutdown complete")]
    public static partial void ShutdownComplete(ILogger logger);

    [LoggerMessage(
        1020,
        LogLevel.Warning,
        "VTLS_BACKEND names '{Name}', which is not registered; available: {Available}")]
    public static partial void UnknownPreferredBackend(ILogger logger, string name, string available);

    [LoggerMessage(1030, LogLevel.Warning, "[{Filter}] certificate verification is OFF: the peer is not authenticated")]
    public static partial void VerificationOff(ILogger logger, string filter);

    [LoggerMessage(1031, LogLevel.Debug, "[{Filter}] certificate rejected: {Reason}")]
    public static partial void CertificateRejected(ILogger logger, string filter, string reason);

    [LoggerMessage(1032, LogLevel.Debug, "[{Filter}] certificate verified: {Subject} ({Mode})")]
    public static partial void CertificateAccepted(ILogger logger, string filter, string subject, string mode);
}
