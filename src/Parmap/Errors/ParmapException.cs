namespace Parmap;

/// <summary>Base type of every exception Parmap throws for a failed run (argument errors use the BCL types).</summary>
public class ParmapException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ParmapException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ParmapException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ParmapException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
