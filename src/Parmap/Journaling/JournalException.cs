namespace Parmap;

/// <summary>A journal could not be used: the base of every journal problem. Nothing recorded in the file is deleted when one is thrown.</summary>
public class JournalException : ParmapException
{
    /// <summary>Creates the exception for the journal at <paramref name="path"/>.</summary>
    public JournalException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>Full path of the journal file.</summary>
    public string Path { get; }
}
