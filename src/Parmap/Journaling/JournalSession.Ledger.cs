using System.Buffers;
using System.Runtime.CompilerServices;

using MessagePack;
using MessagePack.Formatters;

using Parmap.Executors;
using Parmap.Scheduling;

namespace Parmap.Journaling;

// The scheduler's side: skip what is settled, record what finishes.
internal sealed partial class JournalSession<TIn, TOut> : IRunLedger<TIn, TOut>
{
    [ThreadStatic]
    private static Batch<TIn, TOut>? s_settled;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_chunk;

    public int SkipSettled(Batch<TIn, TOut> batch, ResultSink<TIn, TOut> sink)
    {
        if (_state is null)
        {
            return SkipStreamed(batch, sink);
        }
        if (_settled == 0)
        {
            return 0;
        }
        var settled = s_settled ??= new Batch<TIn, TOut>(16);
        settled.Reset(batch.Count);
        var kept = 0;
        var values = 0;
        var failures = 0;
        for (var p = 0; p < batch.Count; p++)
        {
            var index = batch.Indices[p];
            switch (_state[index])
            {
                case ResumeValue:
                    settled.Indices[values] = index;
                    settled.Values[values] = ReadValue(index, _values![index]);
                    values++;
                    break;
                case ResumeFailure:
                    sink.DeliverFailure(RecordedFailure(index, batch.Inputs[p], _failures![index]));
                    failures++;
                    break;
                default:
                    batch.Indices[kept] = index;
                    batch.Inputs[kept] = batch.Inputs[p];
                    kept++;
                    break;
            }
        }
        DeliverSettled(batch, sink, settled, values, kept);
        return values + failures;
    }

    /// <summary>Delivers the <paramref name="values"/> settled values and keeps the first <paramref name="kept"/> items of the batch to compute.</summary>
    private static void DeliverSettled(Batch<TIn, TOut> batch, ResultSink<TIn, TOut> sink, Batch<TIn, TOut> settled, int values, int kept)
    {
        if (values > 0)
        {
            settled.Count = settled.Ran = values;
            settled.Contiguous = IsContiguous(settled.Indices, values);
            sink.DeliverValues(settled);
            if (RuntimeHelpers.IsReferenceOrContainsReferences<TOut>())
            {
                Array.Clear(settled.Values, 0, values);
            }
        }
        if (kept < batch.Count)
        {
            if (RuntimeHelpers.IsReferenceOrContainsReferences<TIn>())
            {
                Array.Clear(batch.Inputs, kept, batch.Count - kept);
            }
            batch.Count = kept;
            batch.Contiguous = IsContiguous(batch.Indices, kept);
        }
    }

    /// <remarks>
    /// The recording path is compiled fully optimized on first use rather than tiered: it runs once per batch, and tiering
    /// would compile it (and the MessagePack calls it inlines) twice more on the runtime's background thread while the
    /// first journaled maps of a process run, taking CPU from their items.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RecordValues(Batch<TIn, TOut> batch)
    {
        var n = batch.Ran - batch.FailedCount;
        if (n <= 0 || _closed)
        {
            return;
        }
        var buffer = s_chunk ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(n);
        List<long>? cleared = null;
        var (inputs, values) = _formatters;
        for (var p = 0; p < batch.Ran; p++)
        {
            if (batch.Errors[p] is not null)
            {
                continue;
            }
            var index = batch.Indices[p];
            try
            {
                JournalCodec.WriteEntry(ref writer, index, batch.Inputs[p], batch.Values[p], inputs, values);
            }
            catch (Exception e)
            {
                throw NotRecordable(index, batch.Inputs[p], e);
            }
            if (_state is { } state ? state[index] == RetryFailure : IsRetriedStreamed(index))
            {
                (cleared ??= []).Add(index);
            }
        }
        writer.Flush();
        _writer!.Add(new ChunkRecord(buffer.WrittenSpan.ToArray(), n, cleared?.ToArray()));
    }

    /// <summary>The MessagePack formatters of inputs and results, looked up once per run (before any item runs).</summary>
    private static (IMessagePackFormatter<TIn>, IMessagePackFormatter<TOut>) Formatters(string path)
    {
        try
        {
            return (JournalCodec.Formatter<TIn>(), JournalCodec.Formatter<TOut>());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new JournalException(path, $"Inputs of type {typeof(TIn).FullName} or results of type {typeof(TOut).FullName} cannot be recorded in the journal: {e.GetBaseException().Message} A journal stores inputs and results with MessagePack: use public types with public properties, records, tuples or primitives.", e);
        }
    }

    /// <summary>Says whether the input or the result of item <paramref name="index"/> could not be stored.</summary>
    private JournalException NotRecordable(long index, TIn input, Exception e)
    {
        try
        {
            _ = JournalCodec.Serialize(input);
        }
        catch (Exception inputError) when (inputError is not OutOfMemoryException)
        {
            return InputNotRecordable(index, Path, inputError);
        }
        return new JournalException(Path, $"The result of item {index} (type {typeof(TOut).FullName}) cannot be recorded in the journal: {e.GetBaseException().Message} A journal stores results with MessagePack: use public types with public properties, records, tuples or primitives.", e);
    }

    public void RecordFailure(ItemFailedException failure)
    {
        if (_closed)
        {
            return;
        }
        var error = failure.InnerException ?? failure;
        var input = failure.Item is TIn item ? JournalCodec.Serialize(item) : JournalCodec.Serialize<object?>(null);
        _writer!.Add(new StoredFailure(failure.Index, JournalCodec.KeyOf(input), input, error.GetType().FullName ?? error.GetType().Name,
            error.Message, error.ToString(), failure.Attempts));
    }

    private TOut ReadValue(long index, ReadOnlyMemory<byte> value)
    {
        try
        {
            return JournalCodec.Read(_formatters.Values, value);
        }
        catch (MessagePackSerializationException e)
        {
            throw new JournalUnreadableException(Path, $"The recorded result of item {index} cannot be read as {typeof(TOut).FullName}: {e.GetBaseException().Message} Did the result type change its shape? Use another journal path to start over.", e);
        }
    }

    private static bool IsContiguous(long[] indices, int count)
    {
        for (var k = 1; k < count; k++)
        {
            if (indices[k] != indices[0] + k)
            {
                return false;
            }
        }
        return count > 0;
    }
}
