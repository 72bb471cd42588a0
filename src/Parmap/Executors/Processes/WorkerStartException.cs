namespace Parmap;

/// <summary>
/// A worker process could not be started, refused to run (a different build of the application, a failing
/// <see cref="ProcessOptions.WorkerInitializer"/>), or could not rebuild the function. The whole run stops: every item would fail the same way.
/// </summary>
public sealed class WorkerStartException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause, when there is one (for example the initializer's exception).</param>
    public WorkerStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The start failed in a way another start may not (the worker was killed by a signal or stayed silent): a fresh worker is tried.</summary>
    internal bool Transient { get; init; }
}
