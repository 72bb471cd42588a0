namespace Parmap.Cluster;

/// <summary>
/// A cluster node was lost while it ran an item's batch, again and again (<see cref="Dispatcher.MaxLosses"/> times): the
/// item fails with this, as an item that crashes its worker process does. A batch that loses its node fewer times runs
/// again on another node, and each result arrives exactly once.
/// </summary>
public sealed class NodeLostException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    public NodeLostException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public NodeLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public NodeLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
