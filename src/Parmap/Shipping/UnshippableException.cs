namespace Parmap;

/// <summary>
/// Something cannot be sent to a worker process or a cluster node: a value the function captures
/// (<see cref="UnshippableFunctionException"/>) or the input or result type (<see cref="UnshippableTypeException"/>).
/// Thrown before any item runs; the message says what and how to fix it.
/// </summary>
public abstract class UnshippableException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be sent and what to do instead.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    protected UnshippableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
