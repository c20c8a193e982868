namespace Vtls.Cli;

/// <summary>The command line is wrong; the message says what to change. Exit code 2.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure, if any (an unreadable file, say).</param>
    public UsageException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
