namespace Parmap;

/// <summary>The journal is in use by another running map (in this process or another one); a journal has one writer at a time.</summary>
public sealed class JournalLockedException : JournalException
{
    /// <summary>Creates the exception; <paramref name="ownerProcessId"/> is the id of the process that holds the journal, when known.</summary>
    public JournalLockedException(string path, int? ownerProcessId, string? ownerHost, string message)
        : base(path, message)
    {
        OwnerProcessId = ownerProcessId;
        OwnerHost = ownerHost;
    }

    /// <summary>Id of the process that holds the journal, when it could be read.</summary>
    public int? OwnerProcessId { get; }

    /// <summary>Host name of the process that holds the journal, when it could be read.</summary>
    public string? OwnerHost { get; }
}
