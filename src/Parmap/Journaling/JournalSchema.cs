using System.Globalization;

using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

/// <summary>
/// The journal's SQLite schema: recognised by its application id, versioned by its user_version.
/// </summary>
/// <remarks>
/// Tables: <c>journal</c> (format facts), <c>generations</c> (the function and input count that a run of the journal
/// is for; a new one starts when inputs or function changed and the user chose to reuse what matches), <c>runs</c>,
/// <c>chunks</c> (finished items, one row per commit), <c>failures</c> (one row per failed item), <c>owner</c>,
/// <c>grid_axes</c> (the grid of a grid sweep, see <see cref="JournalGrid"/>).
/// </remarks>
internal static class JournalSchema
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

    /// <summary>Refuses a file that is not an SQLite database before SQLite touches it.</summary>
    public static void CheckHeader(string path)
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

    /// <summary>
    /// Prepares an open journal for writing: WAL mode, and the upgrades an older format needs. An empty database (a
    /// journal of an earlier version of Parmap killed while creating it) gets the schema first.
    /// </summary>
    public static void Initialize(string path, SqliteConnection connection)
    {
        CheckIdentity(path, connection, out var empty);
        if (!empty)
        {
            JournalFile.Execute(connection, "PRAGMA journal_mode = WAL;");
            JournalFile.Execute(connection, JournalGrid.Table); // Journals written before grids were recorded lack it.
            if (Convert.ToInt32(JournalFile.Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture) < FormatVersion)
            {
                // New records will be of this format: older versions of Parmap must refuse the file from now on.
                JournalFile.Execute(connection, $"PRAGMA user_version = {FormatVersion}; UPDATE journal SET value = '{FormatVersion}' WHERE name = 'format';");
            }
            return;
        }
        // Larger pages: a journal is mostly blobs of many kilobytes (one per commit), which 4 KB pages split into chains of
        // overflow pages, each written, checksummed and checkpointed on its own. 16 KB does about what 64 KB does (W3
        // overhead 2.5% against 2.3%) while a small journal stays small. Only possible before the first table.
        JournalFile.Execute(connection, "PRAGMA page_size = 16384;");
        JournalFile.Execute(connection, "PRAGMA journal_mode = WAL;");
        using var tx = connection.BeginTransaction();
        CreateTables(connection, tx);
        tx.Commit();
    }

    /// <summary>Writes the schema of a new journal into an empty database, then <paramref name="populate"/>'s first records, in one transaction.</summary>
    public static void Create(SqliteConnection connection, Action<SqliteConnection, SqliteTransaction> populate)
    {
        JournalFile.Execute(connection, "PRAGMA page_size = 16384;");
        using var tx = connection.BeginTransaction();
        CreateTables(connection, tx);
        populate(connection, tx);
        tx.Commit();
    }

    private static void CreateTables(SqliteConnection connection, SqliteTransaction tx)
    {
        JournalFile.Execute(connection, Schema, tx);
        JournalFile.Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {FormatVersion};", tx);
        JournalFile.Execute(connection, "INSERT INTO journal(name, value) VALUES ('format', $format), ('written_by', $by)", tx,
            ("$format", FormatVersion.ToString(CultureInfo.InvariantCulture)),
            ("$by", "Parmap " + typeof(JournalFile).Assembly.GetName().Version));
    }

    /// <summary>Checks the application id and format version; <paramref name="empty"/> when the database has no table yet.</summary>
    public static void CheckIdentity(string path, SqliteConnection connection, out bool empty)
    {
        var appId = Convert.ToInt32(JournalFile.Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt32(JournalFile.Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        var tables = Convert.ToInt64(JournalFile.Scalar(connection, "SELECT count(*) FROM sqlite_master"), CultureInfo.InvariantCulture);
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
            throw JournalFile.Damaged(path, null, "its format version is missing");
        }
    }


    public static void QuickCheck(string path, SqliteConnection connection)
    {
        var result = JournalFile.Scalar(connection, "PRAGMA quick_check") as string;
        if (result != "ok")
        {
            throw JournalFile.Damaged(path, null, result);
        }
    }
}
