using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

namespace Parmap.Journaling;

/// <summary>
/// Writes the journal on its own thread, so that lanes only serialize and enqueue. Records wait in a bounded queue
/// (lanes block when it is full) and are committed in batched transactions: the first records as soon as the journal
/// exists, later ones at most <see cref="CommitInterval"/> after the previous commit. A crash (even kill -9) loses only what was not committed yet;
/// committed transactions are durable (WAL, synchronous = FULL) and an interrupted one is rolled back by SQLite.
/// </summary>
internal sealed class JournalWriter
{
    public static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(250);
    // Records waiting to be committed are bounded by size, not count: batches of slow items make many tiny records,
    // batches of fast items few large ones. Past half the budget the writer commits early.
    private const long PendingBudget = 64L << 20;

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Func<(JournalFile File, long Gen, long Run)> _open;
    private readonly Action<Exception> _onFailure;
    private long _gen;
    private long _run;
    private readonly BlockingCollection<object> _queue = new();
    private readonly object _budgetLock = new();
    private readonly ManualResetEventSlim _wake = new();
    private long _pendingBytes;
    private readonly Thread _thread;
    private volatile Exception? _error;
    private long _committedValues;
    private long _committedFailures;
    private int _completed;

    /// <param name="path">The journal's path, for messages.</param>
    /// <param name="time">The clock of commit intervals.</param>
    /// <param name="open">
    /// Runs first on the writer's thread and gives the open journal, its generation and run. A new journal is created
    /// there, while the first items already run; when that fails, the writer fails as when a commit fails.
    /// </param>
    /// <param name="onFailure">Called on the writer's thread when the writer fails.</param>
    public JournalWriter(string path, TimeProvider time, Func<(JournalFile File, long Gen, long Run)> open, Action<Exception> onFailure)
    {
        _path = path;
        _time = time;
        _open = open;
        _onFailure = onFailure;
        using (ExecutionContext.SuppressFlow())
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "Parmap journal writer" };
            _thread.Start();
        }
    }

    /// <summary>The error that stopped the writer, if any.</summary>
    public Exception? Error => _error;

    public long CommittedValues => Volatile.Read(ref _committedValues);

    public long CommittedFailures => Volatile.Read(ref _committedFailures);

    /// <summary>Queues a record; blocks while the queue is full. Throws the writer's error once it has failed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Hot per batch: compiled optimized once (see JournalSession.RecordValues).
    public void Add(object record)
    {
        if (_error is { } error)
        {
            throw error;
        }
        var size = SizeOf(record);
        lock (_budgetLock)
        {
            while (_pendingBytes > PendingBudget && _error is null && !_queue.IsAddingCompleted)
            {
                Monitor.Wait(_budgetLock, TimeSpan.FromMilliseconds(100));
            }
            _pendingBytes += size;
            if (_pendingBytes > PendingBudget / 2)
            {
                _wake.Set();
            }
        }
        try
        {
            _queue.Add(record);
        }
        catch (InvalidOperationException)
        {
            throw _error ?? new InvalidOperationException("The journal is closed: the run has ended.");
        }
    }

    /// <summary>Commits everything queued and stops the writer thread.</summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return;
        }
        _queue.CompleteAdding();
        _wake.Set();
        _thread.Join();
        _queue.Dispose();
        _wake.Dispose();
    }

    private void Loop()
    {
        JournalFile file;
        try
        {
            (file, _gen, _run) = _open();
        }
        catch (Exception e)
        {
            Fail(JournalFile.Translate(e, _path, "open"));
            foreach (var _ in _queue.GetConsumingEnumerable())
            {
                // Drain the queue so that lanes never block on it.
            }
            return;
        }
        WriteLoop(file.Connection);
    }

    private void Fail(Exception error)
    {
        _error = error;
        Release(long.MaxValue / 2);
        _onFailure(error);
    }

    private void WriteLoop(SqliteConnection connection)
    {
        using var insertChunk = Command(connection, JournalSql.InsertChunk,
            "$gen", "$run", "$count", "$checksum", "$data");
        using var insertFailure = Command(connection, JournalSql.PutFailure, "$gen", "$idx", "$run", "$key", "$input", "$type", "$message", "$details", "$attempts");
        using var deleteFailure = Command(connection, JournalSql.DeleteFailure, "$gen", "$idx");
        using var updateRun = Command(connection, JournalSql.CountInRun,
            "$values", "$failures", "$run");
        // The first records are committed as soon as they arrive (a run killed again and again early still makes
        // progress); after that, a record waits at most CommitInterval since the previous commit.
        long? lastCommit = null;
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            if (_error is not null)
            {
                continue; // Failed: drain the queue so that lanes never block on it.
            }
            SqliteTransaction? tx = null;
            try
            {
                tx = connection.BeginTransaction();
                foreach (var c in new[] { insertChunk, insertFailure, deleteFailure, updateRun })
                {
                    c.Transaction = tx;
                }
                long values = 0, failures = 0;
                var record = first;
                var chunks = new List<ChunkRecord>();
                long bytes = 0;
                while (true)
                {
                    bytes += SizeOf(record);
                    switch (record)
                    {
                        case ChunkRecord chunk:
                            chunks.Add(chunk);
                            foreach (var index in chunk.ClearedFailures ?? [])
                            {
                                Run(deleteFailure, _gen, index);
                            }
                            values += chunk.Count;
                            break;
                        case StoredFailure f:
                            Run(insertFailure, _gen, f.Index, _run, JournalCodec.KeyBytes(f.Key), f.Input, f.ErrorType, f.Message, f.Details, f.Attempts);
                            failures++;
                            break;
                    }
                    if (_queue.TryTake(out record!))
                    {
                        continue;
                    }
                    // Sleep until the commit is due instead of waking for every record: one wake per batch would
                    // take CPU from the workers when batches are small.
                    var wait = lastCommit is { } last ? CommitInterval - _time.GetElapsedTime(last) : TimeSpan.Zero;
                    if (wait <= TimeSpan.Zero || _queue.IsAddingCompleted)
                    {
                        break;
                    }
                    _wake.Wait(wait);
                    _wake.Reset();
                    if (!_queue.TryTake(out record!))
                    {
                        break;
                    }
                }
                if (chunks.Count > 0)
                {
                    // One row per commit, not per batch: with small batches (slow items) a row per batch costs the
                    // workers a measurable share of the CPU.
                    var merged = JournalCodec.MergeChunks(chunks);
                    Run(insertChunk, _gen, _run, values, JournalCodec.Checksum(merged), merged);
                }
                Run(updateRun, values, failures, _run);
                tx.Commit();
                lastCommit = _time.GetTimestamp();
                Interlocked.Add(ref _committedValues, values);
                Interlocked.Add(ref _committedFailures, failures);
                Release(bytes);
            }
            catch (Exception e)
            {
                try
                {
                    tx?.Rollback();
                }
                catch (SqliteException)
                {
                    // SQLite may already have rolled back (a full disk does): nothing committed is affected.
                }
                Fail(JournalFile.Translate(e, _path, "write"));
            }
            finally
            {
                tx?.Dispose();
            }
        }
    }

    private static long SizeOf(object record) => record is ChunkRecord chunk ? chunk.Data.Length : 256;

    private void Release(long bytes)
    {
        lock (_budgetLock)
        {
            _pendingBytes = Math.Max(0, _pendingBytes - bytes);
            Monitor.PulseAll(_budgetLock);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var k = 0; k < values.Length; k++)
        {
            command.Parameters[k].Value = values[k];
        }
        command.ExecuteNonQuery();
    }
}

/// <summary>Finished items of one batch, encoded as a chunk; <see cref="ClearedFailures"/> are indices whose recorded failure this chunk replaces.</summary>
internal sealed record ChunkRecord(byte[] Data, int Count, long[]? ClearedFailures);
