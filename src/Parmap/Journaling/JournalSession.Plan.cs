using System.Buffers;
using System.Globalization;

using MessagePack;
using MessagePack.Formatters;

namespace Parmap.Journaling;

// Planning: which inputs are settled in the journal, and what to do when the journal was written for other inputs or another function.
internal sealed partial class JournalSession<TIn, TOut>
{
    private const byte Compute = 0;
    private const byte ResumeValue = 1;
    private const byte ResumeFailure = 2;
    private const byte RetryFailure = 3;

    private readonly IReadOnlyList<TIn>? _inputs; // null for a streamed input
    private readonly long? _total; // null when the input's length is not known up front
    private readonly UInt128[]? _keys; // null for a new journal (nothing to match) and for a streamed input
    private readonly byte[]? _state; // per input of a list; null for a streamed input
    private ReadOnlyMemory<byte>[]? _values;
    private Dictionary<long, StoredFailure>? _failures;
    private ItemFailedException? _firstRecordedFailure;
    private long _settled;
    private long _gen;

    private static UInt128[] ComputeKeys(IReadOnlyList<TIn> inputs, string path)
    {
        var keys = new UInt128[inputs.Count];
        const int Block = 4096;
        var blocks = (inputs.Count + Block - 1) / Block;
        IMessagePackFormatter<TIn> formatter;
        try
        {
            formatter = JournalCodec.Formatter<TIn>(); // once, not per input
        }
        catch (Exception e)
        {
            throw InputNotRecordable(0, path, e);
        }
        try
        {
            Parallel.For(0, blocks, () => new ArrayBufferWriter<byte>(256), (b, _, buffer) =>
            {
                var end = Math.Min(inputs.Count, (b + 1) * Block);
                for (var i = b * Block; i < end; i++)
                {
                    buffer.ResetWrittenCount();
                    var writer = new MessagePackWriter(buffer);
                    try
                    {
                        formatter.Serialize(ref writer, inputs[i], JournalCodec.Options);
                    }
                    catch (Exception e)
                    {
                        throw InputNotRecordable(i, path, e);
                    }
                    writer.Flush();
                    keys[i] = JournalCodec.KeyOf(buffer.WrittenSpan);
                }
                return buffer;
            }, _ => { });
        }
        catch (AggregateException e) when (e.InnerException is JournalException inner)
        {
            throw inner;
        }
        return keys;
    }

    /// <summary>Checks that the first input can be recorded, so that an input type MessagePack cannot store fails before anything runs.</summary>
    private static void CheckRecordable(IReadOnlyList<TIn> inputs, string path)
    {
        if (inputs.Count > 0)
        {
            _ = KeyOf(inputs[0], 0, path);
        }
    }

    /// <summary>The key of an input: the hash of its MessagePack form.</summary>
    private static UInt128 KeyOf(TIn input, long index, string path)
    {
        try
        {
            return JournalCodec.KeyOf(JournalCodec.Serialize(input));
        }
        catch (Exception e)
        {
            throw InputNotRecordable(index, path, e);
        }
    }

    private static JournalException InputNotRecordable(long index, string path, Exception e) =>
        new(path, $"Input {index} (type {typeof(TIn).FullName}) cannot be recorded in the journal: {e.GetBaseException().Message} A journal stores inputs and results with MessagePack: use public types with public properties, records, tuples or primitives.", e);

    /// <summary>The journal's generations, the newest last; a journal without any gets its first one (and the caller has nothing to plan).</summary>
    private List<GenerationRow>? GenerationsOrFirst(string functionId, string functionName)
    {
        var generations = JournalStore.Generations(_file!.Connection);
        if (generations.Count > 0)
        {
            return generations;
        }
        NewGeneration(functionId, functionName, "first run", [], []);
        return null;
    }

    private bool FunctionChanged(GenerationRow current, string functionId) => current.FunctionId != functionId || current.OutputType != typeof(TOut).FullName;

    private void Plan(string functionId, string functionName)
    {
        var connection = _file!.Connection;
        if (GenerationsOrFirst(functionId, functionName) is not { } generations)
        {
            return;
        }
        var current = generations[^1];
        var entries = new List<StoredEntry>();
        JournalStore.ReadEntries(Path, connection, current.Gen, (_, chunk) => entries.AddRange(chunk));
        var failures = JournalStore.Failures(connection, current.Gen).Select(f => f.Failure).ToList();
        var functionChanged = FunctionChanged(current, functionId);
        var countChanged = current.Total != _inputs!.Count;
        var differing = entries.Count(e => !MatchesPosition(e.Index, e.Key)) + failures.Count(f => !MatchesPosition(f.Index, f.Key));
        if (!functionChanged && !countChanged && differing == 0)
        {
            _gen = current.Gen;
            foreach (var e in entries)
            {
                SettleValue(e.Index, e.Value);
            }
            foreach (var f in failures)
            {
                SettleFailure(f.Index, f);
            }
            return;
        }
        var reuseAnyFunction = _options.JournalMismatch == JournalMismatch.ReuseMatchingInputs;
        var pool = Pool(generations, functionId, reuseAnyFunction, out var poolFailures);
        var inputKeys = new HashSet<UInt128>(_keys!);
        var matching = pool.Keys.Count(inputKeys.Contains) + poolFailures.Keys.Count(k => inputKeys.Contains(k) && !pool.ContainsKey(k));
        if (_options.JournalMismatch == JournalMismatch.Fail)
        {
            var recorded = entries.Count + failures.Count;
            var sameFunctionMatching = functionChanged ? 0 : matching;
            throw new JournalMismatchException(Path, MismatchMessage(current, functionId, functionName, functionChanged, countChanged, entries, failures, sameFunctionMatching, reuseAll: matching), functionChanged, recorded, sameFunctionMatching);
        }
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{(functionChanged ? "function changed" : "inputs changed")}; reused {matching} recorded items ({_options.JournalMismatch})");
        NewGeneration(functionId, functionName, reason, pool, poolFailures);
    }

    private bool MatchesPosition(long index, UInt128 key) => index < _keys!.Length && _keys[index] == key;

    /// <summary>Recorded items that may be reused, by key: the newest record of each key wins.</summary>
    private Dictionary<UInt128, StoredEntry> Pool(List<GenerationRow> generations, string functionId, bool anyFunction, out Dictionary<UInt128, StoredFailure> failures)
    {
        var eligible = generations.Where(g => anyFunction || (g.FunctionId == functionId && g.OutputType == typeof(TOut).FullName)).Select(g => g.Gen).ToHashSet();
        var pool = new Dictionary<UInt128, StoredEntry>();
        failures = [];
        if (eligible.Count == 0)
        {
            return pool;
        }
        JournalStore.ReadEntries(Path, _file!.Connection, null, (gen, chunk) =>
        {
            if (eligible.Contains(gen))
            {
                foreach (var e in chunk)
                {
                    pool[e.Key] = e;
                }
            }
        });
        foreach (var (gen, f) in JournalStore.Failures(_file.Connection, null))
        {
            if (eligible.Contains(gen))
            {
                failures[f.Key] = f;
            }
        }
        return pool;
    }

    /// <summary>
    /// Starts a generation for the current function and inputs, copying the reusable records into it, in one transaction
    /// (a new journal is created with its first generation and this run's row: it appears whole to readers).
    /// </summary>
    private void NewGeneration(string functionId, string functionName, string reason, Dictionary<UInt128, StoredEntry> pool,
        Dictionary<UInt128, StoredFailure> poolFailures)
    {
        using var tx = _file!.Connection.BeginTransaction();
        NewGeneration(tx.Connection!, tx, functionId, functionName, reason, pool, poolFailures, insertRun: false);
        tx.Commit();
    }

    /// <summary>The generation's records, written in <paramref name="tx"/> (the caller commits).</summary>
    private void NewGeneration(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction tx, string functionId, string functionName,
        string reason, Dictionary<UInt128, StoredEntry> pool, Dictionary<UInt128, StoredFailure> poolFailures, bool insertRun)
    {
        JournalFile.Execute(connection, JournalSql.InsertGeneration, tx, ("$id", functionId), ("$name", functionName), ("$in", typeof(TIn).FullName), ("$out", typeof(TOut).FullName),
            ("$total", _total ?? -1), ("$created", JournalFile.Now(_time)), ("$reason", reason));
        _gen = (long)JournalFile.Scalar(connection, JournalSql.LastRowId, tx)!;
        var copies = new List<(long Index, StoredEntry Entry)>();
        for (var i = 0; (pool.Count > 0 || poolFailures.Count > 0) && i < _keys!.Length; i++)
        {
            if (pool.TryGetValue(_keys[i], out var entry))
            {
                copies.Add((i, entry));
                SettleValue(i, entry.Value);
            }
            else if (poolFailures.TryGetValue(_keys[i], out var failure))
            {
                var copy = failure with { Index = i };
                JournalFile.Execute(connection, JournalSql.CopyFailure, tx, ("$gen", _gen), ("$idx", i), ("$key", JournalCodec.KeyBytes(copy.Key)), ("$input", copy.Input),
                    ("$type", copy.ErrorType), ("$message", copy.Message), ("$details", copy.Details), ("$attempts", copy.Attempts));
                SettleFailure(i, copy);
            }
        }
        const int ChunkSize = 65_536;
        for (var start = 0; start < copies.Count; start += ChunkSize)
        {
            var part = copies.GetRange(start, Math.Min(ChunkSize, copies.Count - start));
            var data = JournalCodec.EncodeChunk([.. part.Select(p => p.Entry with { Index = p.Index })], e => e.Index);
            JournalFile.Execute(connection, JournalSql.InsertCopiedChunk, tx,
                ("$gen", _gen), ("$count", part.Count), ("$checksum", JournalCodec.Checksum(data)), ("$data", data));
        }
        if (_grid is { } grid)
        {
            JournalGrid.Write(connection, tx, _gen, grid);
        }
        if (insertRun)
        {
            InsertRun(tx);
        }
    }

    private void SettleValue(long index, ReadOnlyMemory<byte> value)
    {
        _values ??= new ReadOnlyMemory<byte>[_inputs!.Count];
        if (_state![index] == Compute)
        {
            _settled++;
        }
        _state[index] = ResumeValue;
        _values[index] = value;
    }

    private void SettleFailure(long index, StoredFailure failure)
    {
        if (_options.RetryFailedOnResume)
        {
            _state![index] = RetryFailure;
            return;
        }
        _failures ??= [];
        _failures[index] = failure;
        _state![index] = ResumeFailure;
        _settled++;
        if (_firstRecordedFailure is null || index < _firstRecordedFailure.Index)
        {
            _firstRecordedFailure = RecordedFailure(index, _inputs![(int)index], failure);
        }
    }

    private static ItemFailedException RecordedFailure(long index, TIn input, StoredFailure failure) =>
        new(index, input, failure.Attempts, new RecordedFailureException(failure.ErrorType, failure.Message, failure.Details));
}
