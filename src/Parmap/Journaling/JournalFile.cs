using System.Globalization;
using System.Text;

using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

/// <summary>
/// An open journal: an SQLite database in WAL mode (<see cref="JournalSchema"/>), written by the one process that
/// holds its lock (<see cref="JournalLock"/>), readable by anyone meanwhile. Also the one place that runs SQL and
/// translates SQLite's errors into journal exceptions.
/// </summary>
internal sealed partial class JournalFile : IDisposable
{
    private readonly FileStream _lock;

    private JournalFile(string path, SqliteConnection connection, FileStream lockFile)
    {
        Path = path;
        Connection = connection;
        _lock = lockFile;
    }

    public string Path { get; }

    public SqliteConnection Connection { get; }

    /// <summary>Whether the journal does not exist yet (checked under its lock, so that the answer holds).</summary>
    public static bool IsNew(string path) => !File.Exists(path) && !File.Exists(path + "-wal");

    /// <summary>
    /// Creates a new journal and opens it for writing. The journal is built whole in a side file (schema and
    /// <paramref name="populate"/>'s first records, one transaction), then renamed to <paramref name="path"/>: whenever the
    /// process is killed, the path holds either nothing or a complete journal, never a half-created file.
    /// </summary>
    public static JournalFile Create(string path, TimeProvider time, FileStream lockFile, Action<SqliteConnection, SqliteTransaction> populate)
    {
        // Under the journal's lock: a side file left by a creation that was killed is nobody's and goes.
        var building = path + "-creating";
        try
        {
            File.Delete(building);
            File.Delete(building + "-journal");
            using (var connection = new SqliteConnection(ConnectionString(building, SqliteOpenMode.ReadWriteCreate)))
            {
                connection.Open();
                JournalSchema.Create(connection, populate);
            }
            File.Move(building, path);
        }
        catch (Exception e)
        {
            lockFile.Dispose();
            throw Translate(e, path, "open");
        }
        return OpenForWriting(path, time, lockFile);
    }

    /// <summary>Opens (creating it when missing) the journal for writing with the lock taken by <see cref="JournalLock.Take"/>; releases the lock when it fails.</summary>
    public static JournalFile OpenForWriting(string path, TimeProvider time, FileStream lockFile)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
            connection.Open();
            JournalSchema.Initialize(path, connection);
            // Checkpoint about every 4 MB of log (the default is 1,000 pages), whatever the page size.
            Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
            Execute(connection, $"PRAGMA wal_autocheckpoint = {Math.Max(1, (4 << 20) / Convert.ToInt32(Scalar(connection, "PRAGMA page_size"), CultureInfo.InvariantCulture))};");
            JournalSchema.QuickCheck(path, connection);
            using (var tx = connection.BeginTransaction())
            {
                Execute(connection, JournalSql.SetOwner, tx,
                    ("$pid", Environment.ProcessId), ("$host", Environment.MachineName), ("$started", Now(time)));
                tx.Commit();
            }
            return new JournalFile(path, connection, lockFile);
        }
        catch (Exception e)
        {
            connection?.Dispose();
            lockFile.Dispose();
            throw Translate(e, path, "open");
        }
    }

    /// <summary>
    /// Opens an existing journal for reading only (no lock: works while a run writes it). A run creating the journal
    /// holds its lock from before the file exists until its first records are in (a few milliseconds): meanwhile this
    /// waits for them rather than report a missing or empty journal.
    /// </summary>
    public static SqliteConnection OpenForReading(string path)
    {
        var time = TimeProvider.System;
        var start = time.GetTimestamp();
        while (true)
        {
            var creating = JournalLock.IsHeld(path) && time.GetElapsedTime(start) < TimeSpan.FromSeconds(10);
            if (File.Exists(path) && TryOpenForReading(path, created: !creating) is { } connection)
            {
                // Once the connection is closed (the event comes after SQLite has closed it):
                connection.StateChange += (_, e) =>
                {
                    if (e.CurrentState == System.Data.ConnectionState.Closed)
                    {
                        RemoveReaderFiles(path);
                    }
                };
                return connection;
            }
            if (!creating)
            {
                if (Directory.Exists(path))
                {
                    throw new JournalUnreadableException(path, $"'{path}' is a directory, not a journal: open the journal file inside it.");
                }
                throw new FileNotFoundException($"There is no journal at '{path}'.", path);
            }
            time.Sleep(TimeSpan.FromMilliseconds(10));
        }
    }

    /// <summary>Opens the journal for reading; null when it has no records yet and <paramref name="created"/> is false (it is being created).</summary>
    private static SqliteConnection? TryOpenForReading(string path, bool created)
    {
        JournalSchema.CheckHeader(path);
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
        try
        {
            bool empty;
            try
            {
                connection.Open();
                JournalSchema.CheckIdentity(path, connection, out empty);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 14 && !IsWritable(System.IO.Path.GetDirectoryName(path)!))
            {
                // A WAL journal on read-only media: SQLite cannot create its shared-memory file. Nobody can write
                // there, so the file can be read as immutable.
                connection.Dispose();
                connection = new SqliteConnection(new SqliteConnectionStringBuilder
                {
                    DataSource = "file:" + Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal) + "?immutable=1",
                    Mode = SqliteOpenMode.ReadOnly,
                    Pooling = false,
                }.ToString());
                connection.Open();
                JournalSchema.CheckIdentity(path, connection, out empty);
            }
            if (!created && (empty || Convert.ToInt64(Scalar(connection, JournalSql.CountGenerations), CultureInfo.InvariantCulture) == 0))
            {
                connection.Dispose();
                return null;
            }
            if (empty)
            {
                throw new JournalUnreadableException(path, $"'{path}' is an empty file, not a Parmap journal (yet): nothing has been recorded in it.");
            }
            return connection;
        }
        catch (Exception e)
        {
            connection.Dispose();
            throw Translate(e, path, "read");
        }
    }


    /// <summary>
    /// A read-only connection to a WAL journal creates its <c>-wal</c> and <c>-shm</c> files and cannot remove them. When no
    /// run holds the journal, a read-write connection opened and closed at once removes them (SQLite checkpoints and
    /// deletes them when the last connection closes; with another connection open it leaves them, as it must).
    /// </summary>
    private static void RemoveReaderFiles(string path)
    {
        if (!File.Exists(path + "-wal") && !File.Exists(path + "-shm"))
        {
            return;
        }
        try
        {
            if (JournalLock.IsHeld(path))
            {
                return;
            }
            using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWrite));
            connection.Open();
            // SQLite opens the file only when a statement needs it.
            _ = Scalar(connection, "PRAGMA journal_mode");
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // Read-only media or a run that just started: the files stay, as SQLite leaves them.
        }
    }

    private static bool IsWritable(string directory)
    {
        try
        {
            var probe = System.IO.Path.Combine(directory, $".parmap-probe-{Environment.ProcessId}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string Now(TimeProvider time) => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command.ExecuteScalar();
    }

    public static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
    }.ToString();


    public void Dispose()
    {
        try
        {
            Execute(Connection, JournalSql.ClearOwner, null, ("$pid", Environment.ProcessId));
        }
        catch (SqliteException)
        {
            // A full disk or a read-only file: the stale row is harmless, the OS lock is what counts.
        }
        Connection.Dispose();
        _lock.Dispose();
    }
}
