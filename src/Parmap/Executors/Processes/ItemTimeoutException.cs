namespace Parmap;

/// <summary>
/// An item ran longer than <see cref="ProcessOptions.ItemTimeout"/>: its worker process was killed and replaced, the rest
/// of its batch ran on, and only this item failed.
/// </summary>
/// <remarks>The scheduler wraps it in an <see cref="ItemFailedException"/> that adds the item's index and input.</remarks>
public sealed class ItemTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="timeout">The timeout that was exceeded.</param>
    /// <param name="workerId">Id of the worker that was killed.</param>
    public ItemTimeoutException(TimeSpan timeout, int workerId)
        : base($"The item did not finish within the allowed timeout of '{timeout}'; its worker ({workerId}) was killed and replaced.")
    {
        Timeout = timeout;
        WorkerId = workerId;
    }

    /// <summary>The timeout that was exceeded.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Id of the worker that was killed, as in the <c>[worker N]</c> prefix of its forwarded output.</summary>
    public int WorkerId { get; }
}
