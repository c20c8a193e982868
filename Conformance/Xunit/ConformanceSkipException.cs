namespace Vtls.Conformance.Xunit;

/// <summary>
/// Thrown by a conformance test whose run could not be played (a peer cannot act the part, a tool is missing, a
/// feature is not declared). A <see cref="ConformanceTheoryAttribute"/> test reports it as skipped, with the
/// message as the reason: never as passed.
/// </summary>
public sealed class ConformanceSkipException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the run was skipped.</param>
    public ConformanceSkipException(string reason)
        : base(reason)
    {
    }
}
