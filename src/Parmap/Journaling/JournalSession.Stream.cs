using System.Collections.Concurrent;
using System.Globalization;

using Parmap.Executors;
using Parmap.Scheduling;

namespace Parmap.Journaling;

// A streamed input (any IEnumerable that is not a list, endless ones included): nothing is read up front. The run takes
// the inputs as it goes (within ParOptions.MaxInFlight for a stream) and each recorded item is matched, when the run
// takes its position, by the key (hash) of the input there.
internal sealed partial class JournalSession<TIn, TOut>
{
    private readonly Lock _streamLock = new();
    private Dictionary<long, Recorded>? _recorded; // recorded items whose position the run has not taken yet; null once none is left
    private ConcurrentDictionary<long, byte>? _retried; // recorded failures computed again (RetryFailedOnResume)

    /// <summary>Plans a run over a streamed input: refuses another function up front, then keeps the recorded items for matching as the inputs come.</summary>
    private void PlanStreamed(string functionId, string functionName)
    {
        var connection = _file!.Connection;
        if (GenerationsOrFirst(functionId, functionName) is not { } generations)
        {
            return;
        }
        var current = generations[^1];
        var functionChanged = FunctionChanged(current, functionId);
        var countChanged = current.Total >= 0 && _total is { } total && total != current.Total;
        if (functionChanged || countChanged)
        {
            var recorded = JournalStore.Count(connection, JournalSql.CountValues, current.Gen) + JournalStore.Count(connection, JournalSql.CountFailures, current.Gen);
            throw new JournalMismatchException(Path, StreamedMismatchMessage(current, functionId, functionName, functionChanged), functionChanged, recorded, 0);
        }
        _gen = current.Gen;
        var items = new Dictionary<long, Recorded>();
        JournalStore.ReadEntries(Path, connection, _gen, (_, chunk) =>
        {
            foreach (var e in chunk)
            {
                items[e.Index] = new Recorded(e.Key, e.Input, e.Value, null);
            }
        });
        StoredFailure? first = null;
        foreach (var (_, f) in JournalStore.Failures(connection, _gen))
        {
            items[f.Index] = new Recorded(f.Key, f.Input, default, f);
            if (!_options.RetryFailedOnResume && (first is null || f.Index < first.Index))
            {
                first = f;
            }
        }
        _settled = items.Values.Count(i => i.Failure is null || !_options.RetryFailedOnResume);
        _recorded = items.Count > 0 ? items : null;
        if (first is not null)
        {
            _firstRecordedFailure = RecordedFailure(first.Index, JournalCodec.Read(_formatters.Inputs, first.Input), first);
        }
    }

    /// <summary>
    /// <see cref="SkipSettled"/> for a streamed input: a recorded item whose input is the one the run took at its position
    /// is settled; another input there stops the run with a <see cref="JournalMismatchException"/> (nothing recorded changes).
    /// </summary>
    private int SkipStreamed(Batch<TIn, TOut> batch, ResultSink<TIn, TOut> sink)
    {
        if (Volatile.Read(ref _recorded) is null)
        {
            return 0;
        }
        var settled = s_settled ??= new Batch<TIn, TOut>(16);
        settled.Reset(batch.Count);
        var kept = 0;
        var values = 0;
        List<ItemFailedException>? failures = null;
        lock (_streamLock)
        {
            var recorded = _recorded;
            for (var p = 0; p < batch.Count; p++)
            {
                var index = batch.Indices[p];
                if (recorded is not null && recorded.Remove(index, out var item))
                {
                    if (KeyOf(batch.Inputs[p], index, Path) != item.Key)
                    {
                        throw PositionMismatch(index, item, batch.Inputs[p]);
                    }
                    if (item.Failure is null)
                    {
                        settled.Indices[values] = index;
                        settled.Values[values] = ReadValue(index, item.Value);
                        values++;
                        continue;
                    }
                    if (!_options.RetryFailedOnResume)
                    {
                        (failures ??= []).Add(RecordedFailure(index, batch.Inputs[p], item.Failure));
                        continue;
                    }
                    (_retried ??= new ConcurrentDictionary<long, byte>()).TryAdd(index, 0);
                }
                batch.Indices[kept] = index;
                batch.Inputs[kept] = batch.Inputs[p];
                kept++;
            }
            if (recorded is { Count: 0 })
            {
                Volatile.Write(ref _recorded, null);
            }
        }
        foreach (var failure in failures ?? [])
        {
            sink.DeliverFailure(failure);
        }
        DeliverSettled(batch, sink, settled, values, kept);
        return values + (failures?.Count ?? 0);
    }

    private bool IsRetriedStreamed(long index) => _retried is { } retried && retried.ContainsKey(index);

    private JournalMismatchException PositionMismatch(long index, Recorded item, TIn input)
    {
        var message = string.Create(CultureInfo.InvariantCulture, $"""
            The journal '{Path}' was written for other inputs: this run's input {index} is {ItemFailedException.Quote(input)}, and the journal recorded {JournalCodec.ToText(item.Input)} at that position.
            The run stopped there: what it finished before is recorded, and no recorded item was changed. A streamed input (a lazy sequence) resumes a journal only when it gives the same inputs in the same order.
            To proceed:
            - pass the inputs as a list (for example with .ToList()) and set ParOptions.JournalMismatch = JournalMismatch.ReuseMatching: recorded items whose input is among the inputs are reused wherever they are, the rest is computed;
            - or start over with another journal path (or delete the file and its -wal, -shm and -lock files).
            """);
        return new JournalMismatchException(Path, message, functionChanged: false, recorded: _settled, matching: 0);
    }

    private string StreamedMismatchMessage(GenerationRow current, string functionId, string functionName, bool functionChanged)
    {
        var lines = new List<string> { $"The journal '{Path}' was written for {(functionChanged ? "another function" : "other inputs")}; nothing was run and the journal was not changed." };
        if (functionChanged)
        {
            lines.Add(FunctionChange(current, functionId, functionName));
        }
        else
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"- The number of inputs changed: recorded {current.Total:N0}, now {_total:N0}."));
        }
        lines.Add("The inputs are streamed (a lazy sequence): recorded items are matched by position as the run reads them, which needs the same function and the same inputs in the same order.");
        lines.Add("To proceed:");
        lines.Add("- to reuse the recorded items that still match, pass the inputs as a list (for example with .ToList()) and choose ParOptions.JournalMismatch = JournalMismatch.ReuseMatching"
            + (functionChanged ? " (or ReuseMatchingInputs to reuse results of the old function, only if the change cannot alter results);" : ";"));
        lines.Add("- or start over with another journal path (or delete the file and its -wal, -shm and -lock files).");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>A recorded item of a streamed input: its input's key and bytes, and its value or failure.</summary>
    private readonly record struct Recorded(UInt128 Key, ReadOnlyMemory<byte> Input, ReadOnlyMemory<byte> Value, StoredFailure? Failure);
}
