using MessagePack;

using Parmap.Scheduling;

namespace Parmap.Executors.Processes;

/// <summary>Runs batches of one function inside a worker: reads inputs, calls the function item by item, answers with a Result frame.</summary>
internal sealed class WorkerRunner<TIn, TOut> : IWorkerRunner
{
    private readonly WorkFunction<TIn, TOut> _function;
    private TIn[] _inputs = new TIn[16];
    private TOut[] _values = new TOut[16];
    private Exception?[] _errors = new Exception?[16];
    private bool[] _skip = new bool[16];
    private int _failed;

    public WorkerRunner(Delegate function, int shape)
    {
        _function = ShippedFunction.Rebuild<TIn, TOut>(function, shape);
    }

    public void Run(WorkerHost host, long batchId, ref MessagePackReader inputs, int count)
    {
        Prepare(count);
        var start = inputs;
        try
        {
            Codec<TIn>.Instance.ReadMany(ref inputs, _inputs, 0, count, null);
        }
        catch (MessagePackSerializationException) when (Codec<TIn>.Instance.CanFailPerValue)
        {
            ReadCarefully(ref start, count);
        }
        host.BeginBatch(batchId, this);
        var ran = _function.Sync is { } sync ? RunSync(host, sync, count) : RunAsync(host, _function.Async!, count).GetAwaiter().GetResult();
        host.MarkItem(ran);
        if (!host.TryFinishBatch())
        {
            // The watchdog answered for this batch (an item timed out) and is ending the process.
            Thread.Sleep(Timeout.Infinite);
        }
        Answer(host, batchId, ran, timedOutAt: -1);
    }

    public void AnswerTimedOut(WorkerHost host, long batchId, int position) => Answer(host, batchId, position, timedOutAt: position);

    private int RunSync(WorkerHost host, Func<TIn, CancellationToken, TOut> f, int count)
    {
        var token = host.BatchToken;
        var i = 0;
        for (; i < count && !token.IsCancellationRequested; i++)
        {
            if (_errors[i] is not null)
            {
                continue;
            }
            host.MarkItem(i);
            try
            {
                _values[i] = f(_inputs[i], token);
            }
            catch (Exception e)
            {
                Fail(i, e);
            }
        }
        return i;
    }

    private async ValueTask<int> RunAsync(WorkerHost host, Func<TIn, CancellationToken, ValueTask<TOut>> f, int count)
    {
        var token = host.BatchToken;
        var i = 0;
        for (; i < count && !token.IsCancellationRequested; i++)
        {
            if (_errors[i] is not null)
            {
                continue;
            }
            host.MarkItem(i);
            try
            {
                _values[i] = await f(_inputs[i], token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Fail(i, e);
            }
        }
        return i;
    }

    private void Prepare(int count)
    {
        if (_inputs.Length < count)
        {
            var size = Math.Max(count, _inputs.Length * 2);
            _inputs = new TIn[size];
            _values = new TOut[size];
            _errors = new Exception?[size];
            _skip = new bool[size];
        }
        else if (_failed > 0)
        {
            Array.Clear(_errors);
            Array.Clear(_skip);
        }
        _failed = 0;
    }

    private void Fail(int position, Exception error)
    {
        _errors[position] = error;
        _skip[position] = true;
        _failed++;
    }

    private void ReadCarefully(ref MessagePackReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var before = reader;
            try
            {
                _inputs[i] = Codec<TIn>.Instance.ReadOne(ref reader);
            }
            catch (MessagePackSerializationException e)
            {
                reader = before;
                reader.Skip();
                Fail(i, new MessagePackSerializationException($"The input could not be deserialized in the worker: {e.Message}", e));
            }
        }
    }

    /// <summary>Writes the Result frame for positions [0, ran); a result that does not serialize fails that item only.</summary>
    private void Answer(WorkerHost host, long batchId, int ran, int timedOutAt)
    {
        var memory = host.ReportMemory ? WorkerHost.ResidentBytes() : 0L;
        host.Answer((batchId, ran, timedOutAt, memory), (buffer, s) =>
        {
            try
            {
                return Write(buffer, s.batchId, s.ran, s.timedOutAt, s.memory);
            }
            catch (Exception) when (Codec<TOut>.Instance.CanFailPerValue)
            {
                FindBadValues(s.ran);
                return Write(buffer, s.batchId, s.ran, s.timedOutAt, s.memory);
            }
        });
    }

    private ReadOnlyMemory<byte> Write(FrameBuffer buffer, long batchId, int ran, int timedOutAt, long memory)
    {
        var writer = buffer.Begin(MessageKind.Result);
        writer.Write(batchId);
        writer.Write(ran);
        writer.Write(timedOutAt);
        writer.Write(memory);
        var failed = 0;
        for (var i = 0; i < ran; i++)
        {
            if (_errors[i] is not null)
            {
                failed++;
            }
        }
        writer.WriteArrayHeader(failed * 2);
        for (var i = 0; i < ran && failed > 0; i++)
        {
            if (_errors[i] is { } error)
            {
                writer.Write(i);
                RemoteError.Write(ref writer, error);
            }
        }
        Codec<TOut>.Instance.WriteMany(ref writer, _values, 0, ran, failed > 0 ? _skip : null);
        return buffer.End(ref writer);
    }

    private void FindBadValues(int ran)
    {
        var scratch = new FrameBuffer();
        for (var i = 0; i < ran; i++)
        {
            if (_errors[i] is not null)
            {
                continue;
            }
            var writer = scratch.Begin(MessageKind.Result);
            try
            {
                Codec<TOut>.Instance.WriteOne(ref writer, _values[i]);
                writer.Flush();
            }
            catch (Exception e)
            {
                Fail(i, new MessagePackSerializationException($"The result could not be serialized in the worker: {e.Message}", e));
            }
        }
    }
}
