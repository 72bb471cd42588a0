namespace Parmap.Journaling;

/// <summary>Every statement the journal runs on its tables (the schema itself is <see cref="JournalSchema"/>): one place to read what a journal stores and how.</summary>
internal static class JournalSql
{
    public const string CountValues = "SELECT COALESCE(SUM(count), 0) FROM chunks WHERE gen = $gen";

    public const string CountFailures = "SELECT count(*) FROM failures WHERE gen = $gen";

    public const string SetOwner = "INSERT OR REPLACE INTO owner(id, pid, host, started) VALUES (1, $pid, $host, $started)";

    public const string CountGenerations = "SELECT count(*) FROM generations";

    public const string ClearOwner = "DELETE FROM owner WHERE id = 1 AND pid = $pid";

    public const string Owner = "SELECT pid, host, started FROM owner WHERE id = 1";

    public const string InsertAxis = "INSERT INTO grid_axes(gen, axis, name, type, zipped, data) VALUES ($gen, $axis, $name, $type, $zipped, $data)";

    public const string HasGridTable = "SELECT count(*) FROM sqlite_master WHERE name = 'grid_axes'";

    public const string Axes = "SELECT name, type, zipped, data FROM grid_axes WHERE gen = $gen ORDER BY axis";

    public const string LastRowId = "SELECT last_insert_rowid()";

    public const string InsertCopiedChunk = "INSERT INTO chunks(gen, run, count, checksum, data) VALUES ($gen, 0, $count, $checksum, $data)";

    public const string InsertRun = "INSERT INTO runs(gen, pid, host, command, started, resumed) VALUES ($gen, $pid, $host, $command, $started, $resumed)";

    public const string EndRun = "UPDATE runs SET ended = $ended, outcome = $outcome WHERE run = $run";

    public const string Generations = "SELECT gen, function_id, function_name, input_type, output_type, total, created, reason FROM generations ORDER BY gen";

    public const string Runs = "SELECT run, gen, pid, host, command, started, ended, outcome, computed, failed, resumed FROM runs ORDER BY run";

    public const string AllChunks = "SELECT gen, count, checksum, data FROM chunks ORDER BY chunk";

    public const string ChunksOf = "SELECT gen, count, checksum, data FROM chunks WHERE gen = $gen ORDER BY chunk";

    public const string InsertChunk = "INSERT INTO chunks(gen, run, count, checksum, data) VALUES ($gen, $run, $count, $checksum, $data)";

    public const string DeleteFailure = "DELETE FROM failures WHERE gen = $gen AND idx = $idx";

    public const string CountInRun = "UPDATE runs SET computed = computed + $values, failed = failed + $failures WHERE run = $run";

    public const string InsertGeneration = """
        INSERT INTO generations(function_id, function_name, input_type, output_type, total, created, reason)
        VALUES ($id, $name, $in, $out, $total, $created, $reason)
        """;

    /// <summary>A failure reused from an older generation (run 0: no run computed it in this generation).</summary>
    public const string CopyFailure = """
        INSERT INTO failures(gen, idx, run, key, input, error_type, message, details, attempts)
        VALUES ($gen, $idx, 0, $key, $input, $type, $message, $details, $attempts)
        """;

    public const string PutFailure = """
        INSERT OR REPLACE INTO failures(gen, idx, run, key, input, error_type, message, details, attempts)
        VALUES ($gen, $idx, $run, $key, $input, $type, $message, $details, $attempts)
        """;

    public const string AllFailures = "SELECT gen, idx, key, input, error_type, message, details, attempts FROM failures ORDER BY gen, idx";

    public const string FailuresOf = "SELECT gen, idx, key, input, error_type, message, details, attempts FROM failures WHERE gen = $gen ORDER BY gen, idx";
}
