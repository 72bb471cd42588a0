using System.Text;

using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

/// <summary>
/// One writer per journal at a time, enforced by an OS lock on a side file (<c>&lt;journal&gt;-lock</c>, released by the
/// OS even when the owner is killed). The owner's process id is kept in the journal (table <c>owner</c>) so that a
/// second writer's error can name it.
/// </summary>
internal static class JournalLock
{

    public static string LockPathOf(string path) => path + "-lock";

    /// <summary>
    /// Takes the journal's lock (creating the lock file, which also proves that the location is writable). Held until
    /// the <see cref="JournalFile"/> opened with it is disposed; nobody else can create or write the journal meanwhile.
    /// </summary>
    public static FileStream Take(string path)
    {
        if (Directory.Exists(path))
        {
            throw new JournalWriteException(path, $"The journal path '{path}' is a directory. ParOptions.Journal names the journal file itself: use a file inside it, e.g. '{System.IO.Path.Combine(path, "run.db")}'.");
        }
        var directory = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            throw new JournalWriteException(path, $"Cannot create the journal '{path}': the directory '{directory}' does not exist. Create it, or choose another path for ParOptions.Journal.");
        }
        JournalSchema.CheckHeader(path);
        return AcquireLock(path);
    }

    /// <summary>Whether another process (or another map of this one) holds the journal's lock now.</summary>
    public static bool IsHeld(string path)
    {
        try
        {
            using var probe = new FileStream(LockPathOf(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }


    private static FileStream AcquireLock(string path)
    {
        try
        {
            var stream = new FileStream(LockPathOf(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            stream.Write(Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
            stream.Flush();
            return stream;
        }
        catch (IOException e) when (e.HResult == 11 /* EWOULDBLOCK: the lock is held */)
        {
            throw HeldBy(path);
        }
        catch (Exception e)
        {
            throw JournalFile.Translate(e, path, "open");
        }
    }

    private static JournalLockedException HeldBy(string path)
    {
        int? pid = null;
        string? host = null;
        string? since = null;
        // The owner records itself right after taking the lock; a new journal is created while its first items run, so
        // give it a moment (a few milliseconds in practice) to appear.
        var time = TimeProvider.System;
        var start = time.GetTimestamp();
        while (pid is null && time.GetElapsedTime(start) < TimeSpan.FromSeconds(2))
        {
            try
            {
                if (File.Exists(path))
                {
                    using var connection = new SqliteConnection(JournalFile.ConnectionString(path, SqliteOpenMode.ReadOnly));
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = JournalSql.Owner;
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
            time.Sleep(TimeSpan.FromMilliseconds(10));
        }
        var who = pid is { } p
            ? $"process {p}{(host is null || host == Environment.MachineName ? "" : $" on {host}")}{(p == Environment.ProcessId ? " (this process: another map is using it)" : "")}, running since {since}"
            : "another process (its id is not recorded yet)";
        return new JournalLockedException(path, pid, host,
            $"The journal '{path}' is in use by {who}. A journal has one writer at a time: wait for that run to end (or stop it), or use another journal path. Journal.Open can inspect it meanwhile.");
    }
}
