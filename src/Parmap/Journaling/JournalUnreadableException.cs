namespace Parmap;

/// <summary>The file is not a Parmap journal, is damaged, or was written by a newer version of Parmap. The file is left as it is.</summary>
public sealed class JournalUnreadableException : JournalException
{
    /// <summary>Creates the exception.</summary>
    public JournalUnreadableException(string path, string message, Exception? innerException = null)
        : base(path, message, innerException)
    {
    }
}
