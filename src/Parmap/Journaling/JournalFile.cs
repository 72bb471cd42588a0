using System.Globalization;
using System.Text;

using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

/// <summary>
/// The journal file: an SQLite database in WAL mode, recognised by its application id, versioned by its user_version.
/// One writer at a time, enforced by an OS lock on a side file (<c>&lt;journal&gt;-lock</c>, released by the OS even
/// when the owner is killed); the owner's process id is kept in the database so that a second writer can name it.
/// </summary>
/// <remarks>
/// Tables: <c>journal</c> (format facts), <c>generations</c> (the function and input count that a run of the journal
/// is for; a new one starts when inputs or function changed and the user chose to reuse what matches), <c>runs</c>,
/// <c>chunks</c> (finished items, one row per batch), <c>failures</c> (one row per failed item), <c>owner</c>,
/// <c>grid_axes</c> (the grid of a grid sweep, see <see cref="JournalGrid"/>).
/// </remarks>
internal sealed partial class JournalFile : IDisposable
{
    /// <summary>The format this version writes: 2 stores chunk entries without their key (format 1 did; both are read).</summary>
    public const int FormatVersion = 2;
    public const int ApplicationId = 0x506D6170; // "Pmap"
    private static readonly byte[] s_sqliteHeader = "SQLite format 3\0"u8.ToArray();

    private const string Schema = """
        CREATE TABLE journal(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE generations(gen INTEGER PRIMARY KEY, function_id TEXT NOT NULL, function_name TEXT NOT NULL,
            input_type TEXT NOT NULL, output_type TEXT NOT NULL, total INTEGER NOT NULL, created TEXT NOT NULL, reason TEXT NOT NULL);
        CREATE TABLE runs(run INTEGER PRIMARY KEY, gen INTEGER NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL, command TEXT NOT NULL,
            started TEXT NOT NULL, ended TEXT, outcome TEXT, computed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
            resumed INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE chunks(chunk INTEGER PRIMARY KEY, gen INTEGER NOT NULL, run INTEGER NOT NULL, count INTEGER NOT NULL,
            checksum INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE INDEX chunks_by_gen ON chunks(gen);
        CREATE TABLE failures(gen INTEGER NOT NULL, idx INTEGER NOT NULL, run INTEGER NOT NULL, key BLOB NOT NULL, input BLOB NOT NULL,
            error_type TEXT NOT NULL, message TEXT NOT NULL, details TEXT NOT NULL, attempts INTEGER NOT NULL, PRIMARY KEY(gen, idx)) WITHOUT ROWID;
        CREATE TABLE owner(id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, started TEXT NOT NULL);
        """ + JournalGrid.Table;

    private readonly FileStream _lock;

    private JournalFile(string path, SqliteConnection connection, FileStream lockFile)
    {
        Path = path;
        Connection = connection;
        _lock = lockFile;
    }

    public string Path { get; }

    public SqliteConnection Connection { get; }

    public static string LockPathOf(string path) => path + "-lock";

    /// <summary>
    /// Takes the journal's lock (creating the lock file, which also proves that the location is writable). Held until
    /// the <see cref="JournalFile"/> opened with it is disposed; nobody else can create or write the journal meanwhile.
    /// </summary>
    public static FileStream Lock(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            throw new JournalWriteException(path, $"Cannot create the journal '{path}': the directory '{directory}' does not exist. Create it, or choose another path for ParOptions.Journal.");
        }
        CheckHeader(path);
        return AcquireLock(path);
    }

    /// <summary>Whether the journal does not exist yet (checked under its lock, so that the answer holds).</summary>
    public static bool IsNew(string path) => !File.Exists(path) && !File.Exists(path + "-wal");

    /// <summary>Opens (creating it when missing) the journal for writing with the lock taken by <see cref="Lock"/>; releases the lock when it fails.</summary>
    public static JournalFile OpenForWriting(string path, TimeProvider time, FileStream lockFile)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
            connection.Open();
            Initialize(path, connection);
            // Checkpoint about every 4 MB of log (the default is 1,000 pages), whatever the page size.
            Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
            Execute(connection, $"PRAGMA wal_autocheckpoint = {Math.Max(1, (4 << 20) / Convert.ToInt32(Scalar(connection, "PRAGMA page_size"), CultureInfo.InvariantCulture))};");
            QuickCheck(path, connection);
            using (var tx = connection.BeginTransaction())
            {
                Execute(connection, "INSERT OR REPLACE INTO owner(id, pid, host, started) VALUES (1, $pid, $host, $started)", tx,
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
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            var creating = IsLocked(path) && Environment.TickCount64 < deadline;
            if (File.Exists(path) && TryOpenForReading(path, created: !creating) is { } connection)
            {
                return connection;
            }
            if (!creating)
            {
                throw new FileNotFoundException($"There is no journal at '{path}'.", path);
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>Opens the journal for reading; null when it has no records yet and <paramref name="created"/> is false (it is being created).</summary>
    private static SqliteConnection? TryOpenForReading(string path, bool created)
    {
        CheckHeader(path);
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
        try
        {
            bool empty;
            try
            {
                connection.Open();
                CheckIdentity(path, connection, out empty);
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
                CheckIdentity(path, connection, out empty);
            }
            if (!created && (empty || Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM generations"), CultureInfo.InvariantCulture) == 0))
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

    /// <summary>Whether another process (or another map of this one) holds the journal's lock now.</summary>
    public static bool IsLocked(string path)
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

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
    }.ToString();

    /// <summary>Refuses a file that is not an SQLite database before SQLite touches it.</summary>
    private static void CheckHeader(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length == 0)
            {
                return;
            }
            Span<byte> header = stackalloc byte[16];
            var n = stream.ReadAtLeast(header, 16, throwOnEndOfStream: false);
            if (n < 16 || !header.SequenceEqual(s_sqliteHeader))
            {
                throw new JournalUnreadableException(path, $"'{path}' is not a Parmap journal (it is not an SQLite database). The file was left as it is; choose another path for ParOptions.Journal.");
            }
        }
        catch (FileNotFoundException)
        {
        }
        catch (DirectoryNotFoundException)
        {
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
            throw Locked(path);
        }
        catch (Exception e)
        {
            throw Translate(e, path, "open");
        }
    }

    private static void Initialize(string path, SqliteConnection connection)
    {
        CheckIdentity(path, connection, out var empty);
        if (!empty)
        {
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, JournalGrid.Table); // Journals written before grids were recorded lack it.
            if (Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture) < FormatVersion)
            {
                // New records will be of this format: older versions of Parmap must refuse the file from now on.
                Execute(connection, $"PRAGMA user_version = {FormatVersion}; UPDATE journal SET value = '{FormatVersion}' WHERE name = 'format';");
            }
            return;
        }
        // Larger pages: a journal is mostly blobs of many kilobytes (one per commit), which 4 KB pages split into chains of
        // overflow pages, each written, checksummed and checkpointed on its own. 16 KB does about what 64 KB does (W3
        // overhead 2.5% against 2.3%) while a small journal stays small. Only possible before the first table.
        Execute(connection, "PRAGMA page_size = 16384;");
        Execute(connection, "PRAGMA journal_mode = WAL;");
        using var tx = connection.BeginTransaction();
        Execute(connection, Schema, tx);
        Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {FormatVersion};", tx);
        Execute(connection, "INSERT INTO journal(name, value) VALUES ('format', $format), ('written_by', $by)", tx,
            ("$format", FormatVersion.ToString(CultureInfo.InvariantCulture)),
            ("$by", "Parmap " + typeof(JournalFile).Assembly.GetName().Version));
        tx.Commit();
    }

    /// <summary>Checks the application id and format version; <paramref name="empty"/> when the database has no table yet.</summary>
    private static void CheckIdentity(string path, SqliteConnection connection, out bool empty)
    {
        var appId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        var tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master"), CultureInfo.InvariantCulture);
        empty = appId == 0 && tables == 0;
        if (empty)
        {
            return;
        }
        if (appId != ApplicationId)
        {
            throw new JournalUnreadableException(path, $"'{path}' is an SQLite database but not a Parmap journal. The file was left as it is; choose another path for ParOptions.Journal.");
        }
        if (version > FormatVersion)
        {
            throw new JournalUnreadableException(path, $"The journal '{path}' was written by a newer version of Parmap (journal format {version}; this version reads format {FormatVersion} and older). Update Parmap to resume it; the file was left as it is.");
        }
        if (version < 1)
        {
            throw Damaged(path, null, "its format version is missing");
        }
    }

    private static void QuickCheck(string path, SqliteConnection connection)
    {
        var result = Scalar(connection, "PRAGMA quick_check") as string;
        if (result != "ok")
        {
            throw Damaged(path, null, result);
        }
    }

    public void Dispose()
    {
        try
        {
            Execute(Connection, "DELETE FROM owner WHERE id = 1 AND pid = $pid", null, ("$pid", Environment.ProcessId));
        }
        catch (SqliteException)
        {
            // A full disk or a read-only file: the stale row is harmless, the OS lock is what counts.
        }
        Connection.Dispose();
        _lock.Dispose();
    }
}
