namespace Parmap.Cluster;

/// <summary>The cluster cannot run the map: no node joined in time (the message says how to start nodes), or nodes were refused.</summary>
public sealed class ClusterException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    public ClusterException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public ClusterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public ClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
