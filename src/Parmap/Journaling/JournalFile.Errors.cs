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

    private static JournalLockedException Locked(string path)
    {
        int? pid = null;
        string? host = null;
        string? since = null;
        // The owner records itself right after taking the lock; a new journal is created while its first items run, so
        // give it a moment (a few milliseconds in practice) to appear.
        var deadline = Environment.TickCount64 + 2_000;
        while (pid is null && Environment.TickCount64 < deadline)
        {
            try
            {
                if (File.Exists(path))
                {
                    using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT pid, host, started FROM owner WHERE id = 1";
                    using var reader = command.ExecuteReader();
                    if (reader.Read())
                    {
                        pid = reader.GetInt32(0);
                        host = reader.GetString(1);
                        since = reader.GetString(2);
                        break;
                    }
                }
            }
            catch (SqliteException)
            {
                // The owner is still creating the file.
            }
            Thread.Sleep(10);
        }
        var who = pid is { } p
            ? $"process {p}{(host is null || host == Environment.MachineName ? "" : $" on {host}")}{(p == Environment.ProcessId ? " (this process: another map is using it)" : "")}, running since {since}"
            : "another process (its id is not recorded yet)";
        return new JournalLockedException(path, pid, host,
            $"The journal '{path}' is in use by {who}. A journal has one writer at a time: wait for that run to end (or stop it), or use another journal path. Journal.Open can inspect it meanwhile.");
    }
}
