using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

// Errors: what went wrong with the journal file, said so that the user knows what to do.
internal sealed partial class JournalFile
{
    /// <summary>Turns a low-level error into the journal exception that says what is wrong and how to fix it.</summary>
    public static Exception Translate(Exception e, string path, string action)
    {
        if (e is JournalException or FileNotFoundException)
        {
            return e;
        }
        if (e is SqliteException sql)
        {
            return (sql.SqliteErrorCode, sql.SqliteExtendedErrorCode & 0xFF) switch
            {
                (26, _) => new JournalUnreadableException(path, $"'{path}' is not a Parmap journal: it is not an SQLite database, or it is encrypted. The file was left as it is; choose another path for ParOptions.Journal.", e),
                (11, _) => Damaged(path, e),
                (13, _) => new JournalWriteException(path, $"The journal '{path}' could not be written: the disk is full. Every item committed before is kept; free some space and run the same map again to resume.", e),
                (8, _) => ReadOnly(path, e),
                (14, _) when action == "open" => ReadOnly(path, e),
                (10, _) when sql.SqliteExtendedErrorCode == 4874 /* SQLITE_IOERR_SHMSIZE */ => new JournalWriteException(path, $"The journal '{path}' could not be written: the disk is full. Every item committed before is kept; free some space and run the same map again to resume.", e),
                (10, _) => new JournalWriteException(path, $"The journal '{path}' could not be {(action == "read" ? "read" : "written")}: I/O error ({sql.Message}). Every item committed before is kept; check the disk and run the same map again to resume.", e),
                _ => new JournalException(path, $"The journal '{path}' could not be used: {sql.Message}", e),
            };
        }
        if (e is UnauthorizedAccessException || (e is IOException io && io.HResult is 30 /* EROFS */ or 13 /* EACCES */))
        {
            return ReadOnly(path, e);
        }
        if (e is IOException ioe && ioe.HResult == 28 /* ENOSPC */)
        {
            return new JournalWriteException(path, $"The journal '{path}' could not be written: the disk is full. Free some space and run again.", e);
        }
        return e;
    }

    public static JournalUnreadableException Damaged(string path, Exception? inner, string? detail = null) =>
        new(path, $"The journal '{path}' is damaged{(detail is null ? "" : $" ({detail})")}: its records cannot be trusted. It was left as it is: move it away to keep it (and its -wal file) and run again with a new journal path, or restore it from a backup.", inner);

    private static JournalWriteException ReadOnly(string path, Exception inner) =>
        new(path, $"The journal '{path}' cannot be written: its location is read-only (or not writable by this user). Choose a writable path for ParOptions.Journal (a journal can be inspected read-only with Journal.Open).", inner);
}
