using System.Globalization;

using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

/// <summary>One generation of a journal: the function and the input count its items were recorded for.</summary>
internal sealed record GenerationRow(long Gen, string FunctionId, string FunctionName, string InputType, string OutputType, long Total, string Created, string Reason);

/// <summary>One run of a journal as recorded.</summary>
internal sealed record RunRow(long Run, long Gen, int Pid, string Host, string Command, string Started, string? Ended, string? Outcome, long Computed, long Failed, long Resumed);

/// <summary>Reads what a journal holds (for resuming and for inspecting).</summary>
internal static class JournalStore
{
    public static List<GenerationRow> Generations(SqliteConnection connection)
    {
        var list = new List<GenerationRow>();
        using var command = connection.CreateCommand();
        command.CommandText = JournalSql.Generations;
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            list.Add(new GenerationRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), r.GetString(6), r.GetString(7)));
        }
        return list;
    }

    public static List<RunRow> Runs(SqliteConnection connection)
    {
        var list = new List<RunRow>();
        using var command = connection.CreateCommand();
        command.CommandText = JournalSql.Runs;
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            list.Add(new RunRow(r.GetInt64(0), r.GetInt64(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10)));
        }
        return list;
    }

    /// <summary>Every finished item of the given generation (or of all generations when null), checking each chunk's checksum.</summary>
    public static void ReadEntries(string path, SqliteConnection connection, long? gen, Action<long, List<StoredEntry>> onChunk)
    {
        using var command = connection.CreateCommand();
        command.CommandText = gen is null
            ? JournalSql.AllChunks
            : JournalSql.ChunksOf;
        if (gen is { } g)
        {
            command.Parameters.AddWithValue("$gen", g);
        }
        var entries = new List<StoredEntry>();
        try
        {
            using var r = command.ExecuteReader();
            while (r.Read())
            {
                var chunkGen = r.GetInt64(0);
                var count = r.GetInt32(1);
                var checksum = r.GetInt64(2);
                var data = (byte[])r.GetValue(3);
                if (JournalCodec.Checksum(data) != checksum)
                {
                    throw JournalFile.Damaged(path, null, "a chunk of recorded results does not match its checksum");
                }
                entries.Clear();
                try
                {
                    JournalCodec.DecodeChunk(data, count, entries);
                }
                catch (FormatException e)
                {
                    throw JournalFile.Damaged(path, e, "a chunk of recorded results is malformed: " + e.Message);
                }
                onChunk(chunkGen, entries);
            }
        }
        catch (SqliteException e)
        {
            throw JournalFile.Translate(e, path, "read");
        }
    }

    public static List<(long Gen, StoredFailure Failure)> Failures(SqliteConnection connection, long? gen)
    {
        var list = new List<(long, StoredFailure)>();
        using var command = connection.CreateCommand();
        command.CommandText = gen is null ? JournalSql.AllFailures : JournalSql.FailuresOf;
        if (gen is { } g)
        {
            command.Parameters.AddWithValue("$gen", g);
        }
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            list.Add((r.GetInt64(0), new StoredFailure(r.GetInt64(1), JournalCodec.KeyFrom((byte[])r.GetValue(2)), (byte[])r.GetValue(3),
                r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt32(7))));
        }
        return list;
    }

    public static long Count(SqliteConnection connection, string sql, long gen)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$gen", gen);
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }
}
