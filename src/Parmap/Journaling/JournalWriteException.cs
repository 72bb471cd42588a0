namespace Parmap;

/// <summary>
/// The journal could not be written (a read-only location, a full disk, an I/O error). The run stopped; every item
/// committed before the error is kept, and resuming after the cause is fixed recomputes only the rest.
/// </summary>
public sealed class JournalWriteException : JournalException
{
    /// <summary>Creates the exception.</summary>
    public JournalWriteException(string path, string message, Exception? innerException = null)
        : base(path, message, innerException)
    {
    }
}
