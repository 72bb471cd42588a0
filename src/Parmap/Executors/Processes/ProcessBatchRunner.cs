using MessagePack;

using Parmap.Scheduling;

namespace Parmap.Executors.Processes;

/// <summary>
/// Runs batches of one function on the lane's worker process. A batch is split into ranges that run in order:
/// normally one range; a range whose worker dies is retried once whole on a fresh worker, then halved again and again
/// until the item that kills workers is alone and fails by itself (<see cref="WorkerCrashedException"/>); an item past
/// <see cref="ParOptions.ItemTimeout"/> fails alone and the rest of its range goes on; recycling cuts ranges at the
/// worker's item budget. Values are taken only from complete Result frames, so every position gets exactly one outcome.
/// </summary>
internal sealed class ProcessBatchRunner<TIn, TOut>(ProcessExecutor executor, ShippedFunction function) : IBatchRunner<TIn, TOut>
{
    /// <summary>How long a cancelled batch may take to stop at an item boundary before its worker is killed.</summary>
    private static readonly TimeSpan s_cancelGrace = TimeSpan.FromSeconds(1);
    private static long s_lastBatchId;
    private readonly WorkerSettings _settings = executor.Settings;

    public async ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
    {
        var pending = new Stack<Range>();
        pending.Push(new Range(0, batch.Count, Crashes: 0));
        var ran = 0;
        while (pending.Count > 0 && !cancellationToken.IsCancellationRequested)
        {
            var range = pending.Pop();
            WorkerProcess worker;
            try
            {
                worker = await executor.AcquireAsync(lane, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            if (_settings.RecycleAfterItems is { } budget)
            {
                var room = budget - worker.ItemsRun;
                if (room <= 0)
                {
                    executor.Discard(lane, worker, kill: false);
                    pending.Push(range);
                    continue;
                }
                if (range.Count > room)
                {
                    pending.Push(range with { Lo = range.Lo + (int)room });
                    range = range with { Hi = range.Lo + (int)room };
                }
            }
            var outcome = await RunOnWorkerAsync(lane, worker, batch, range, cancellationToken).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case OutcomeKind.Done:
                    worker.ItemsRun += outcome.End - range.Lo;
                    ran = outcome.End;
                    if (outcome.End < range.Hi)
                    {
                        pending.Clear();
                    }
                    else if (ShouldRecycle(worker))
                    {
                        executor.Discard(lane, worker, kill: false);
                    }
                    break;
                case OutcomeKind.TimedOut:
                    executor.Discard(lane, worker, kill: true);
                    batch.SetError(outcome.End, new ItemTimeoutException(_settings.ItemTimeout!.Value, worker.Id));
                    ran = outcome.End + 1;
                    if (ran < range.Hi)
                    {
                        pending.Push(new Range(ran, range.Hi, 0));
                    }
                    break;
                case OutcomeKind.BadInput:
                    batch.SetError(outcome.End, outcome.Error!);
                    if (outcome.End + 1 < range.Hi)
                    {
                        pending.Push(range with { Lo = outcome.End + 1 });
                    }
                    if (outcome.End > range.Lo)
                    {
                        pending.Push(range with { Hi = outcome.End });
                    }
                    else
                    {
                        ran = outcome.End + 1;
                    }
                    break;
                case OutcomeKind.Crashed:
                    // Not killed: it is already dying (end of its stream), and its own exit code says how it died.
                    executor.Discard(lane, worker, kill: false);
                    if (range.Crashes == 0)
                    {
                        // Maybe not this batch's fault (killed from outside, out of memory): try it whole once more.
                        pending.Push(range with { Crashes = 1 });
                    }
                    else if (range.Count == 1)
                    {
                        var (code, head, tail) = await worker.CollectDeathAsync().ConfigureAwait(false);
                        batch.SetError(range.Lo, new WorkerCrashedException(worker.Id, worker.Pid, code, outcome.Reason!, head, tail, batch.Inputs[range.Lo]));
                        ran = range.Hi;
                    }
                    else
                    {
                        var mid = range.Lo + (range.Count / 2);
                        pending.Push(new Range(mid, range.Hi, 1));
                        pending.Push(new Range(range.Lo, mid, 1));
                    }
                    break;
            }
        }
        Truncate(batch, ran);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Positions past <paramref name="ran"/> (the run was cancelled) count as not run: drop any error set there.</summary>
    private static void Truncate(Batch<TIn, TOut> batch, int ran)
    {
        for (var p = ran; p < batch.Count; p++)
        {
            if (batch.Errors[p] is not null)
            {
                batch.Errors[p] = null;
                batch.FailedCount--;
            }
        }
        batch.Ran = ran;
    }

    private bool ShouldRecycle(WorkerProcess worker) =>
        (_settings.RecycleAfterItems is { } items && worker.ItemsRun >= items)
        || (_settings.RecycleAboveMemory is { } bytes && worker.MemoryBytes > bytes);

    private async ValueTask<Outcome> RunOnWorkerAsync(int lane, WorkerProcess worker, Batch<TIn, TOut> batch, Range range, CancellationToken cancellationToken)
    {
        var batchId = Interlocked.Increment(ref s_lastBatchId);
        try
        {
            if (worker.OpenedFunction != function.Id)
            {
                var open = worker.Buffer.Begin(MessageKind.Open);
                open.Write(function.Id);
                open.Write(function.Shape);
                open.Write(function.Payload);
                await worker.SendAsync(worker.Buffer.End(ref open)).ConfigureAwait(false);
                worker.OpenedFunction = function.Id;
            }
            if (!TryWriteBatch(worker.Buffer, batchId, batch, range, out var frame, out var bad))
            {
                return bad;
            }
            worker.MarkSent();
            await worker.SendAsync(frame).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Broken pipe: the worker is gone; its end of stream says no more, the retry logic takes over.
            return Outcome.Crash("the worker process exited");
        }
        (Frame? Frame, bool Silent) answer;
        try
        {
            answer = await worker.ReceiveAsync(_settings.SilenceLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            answer = await CancelAsync(lane, worker, batchId).ConfigureAwait(false);
            if (answer.Frame is null)
            {
                return Outcome.Done(range.Lo);
            }
        }
        if (answer.Frame is not { } received)
        {
            if (answer.Silent)
            {
                worker.Kill();
                return Outcome.Crash($"the worker stopped responding (no heartbeat for {_settings.SilenceLimit!.Value.TotalSeconds:0.#} s) and was killed");
            }
            return Outcome.Crash(worker.ProtocolError ?? "the worker process exited");
        }
        using (received)
        {
            return ReadAnswer(worker, received, batchId, batch, range);
        }
    }

    /// <summary>The run was cancelled mid-batch: ask the worker to stop after its current item; kill it if it does not within the grace period.</summary>
    private async ValueTask<(Frame? Frame, bool Silent)> CancelAsync(int lane, WorkerProcess worker, long batchId)
    {
        try
        {
            var cancel = worker.Buffer.Begin(MessageKind.Cancel);
            cancel.Write(batchId);
            await worker.SendAsync(worker.Buffer.End(ref cancel)).ConfigureAwait(false);
            using var grace = new CancellationTokenSource(s_cancelGrace);
            var answer = await worker.ReceiveAsync(null, grace.Token).ConfigureAwait(false);
            if (answer.Frame is not null)
            {
                return answer;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Gone, or stuck in an item that ignores the token.
        }
        executor.Discard(lane, worker, kill: true);
        return (null, false);
    }

    private bool TryWriteBatch(FrameBuffer buffer, long batchId, Batch<TIn, TOut> batch, Range range, out ReadOnlyMemory<byte> frame, out Outcome bad)
    {
        var writer = buffer.Begin(MessageKind.Batch);
        writer.Write(batchId);
        writer.Write(function.Id);
        writer.Write(range.Count);
        try
        {
            Codec<TIn>.Instance.WriteMany(ref writer, batch.Inputs, range.Lo, range.Count, null);
            frame = buffer.End(ref writer);
            bad = default;
            return true;
        }
        catch (Exception e) when (e is MessagePackSerializationException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            frame = default;
            bad = FindBadInput(batch, range, e);
            return false;
        }
    }

    private static Outcome FindBadInput(Batch<TIn, TOut> batch, Range range, Exception first)
    {
        var scratch = new FrameBuffer();
        for (var p = range.Lo; p < range.Hi; p++)
        {
            var writer = scratch.Begin(MessageKind.Batch);
            try
            {
                Codec<TIn>.Instance.WriteOne(ref writer, batch.Inputs[p]);
                writer.Flush();
            }
            catch (Exception e)
            {
                return Outcome.Bad(p, new MessagePackSerializationException($"The input could not be serialized for the worker process: {e.Message}", e));
            }
        }
        return Outcome.Bad(range.Lo, first);
    }

    private Outcome ReadAnswer(WorkerProcess worker, Frame frame, long batchId, Batch<TIn, TOut> batch, Range range)
    {
        var reader = frame.Reader();
        var kind = (MessageKind)reader.ReadInt32();
        if (kind == MessageKind.OpenFailed)
        {
            _ = reader.ReadInt32();
            var message = reader.ReadString();
            var cause = RemoteError.Read(ref reader, worker.Id);
            throw new WorkerStartException($"Worker {worker.Id} could not rebuild the function: {message}", cause);
        }
        if (kind != MessageKind.Result || reader.ReadInt64() != batchId)
        {
            worker.Kill();
            return Outcome.Crash($"the worker sent an unexpected {kind} message");
        }
        var ran = reader.ReadInt32();
        var timedOutAt = reader.ReadInt32();
        worker.MemoryBytes = reader.ReadInt64();
        var errors = reader.ReadArrayHeader() / 2;
        bool[]? skip = null;
        if (errors > 0)
        {
            skip = new bool[ran];
            for (var k = 0; k < errors; k++)
            {
                var p = reader.ReadInt32();
                skip[p] = true;
                batch.SetError(range.Lo + p, RemoteError.Read(ref reader, worker.Id));
            }
        }
        var values = reader;
        try
        {
            Codec<TOut>.Instance.ReadMany(ref reader, batch.Values, range.Lo, ran, skip);
        }
        catch (MessagePackSerializationException) when (Codec<TOut>.Instance.CanFailPerValue)
        {
            ReadCarefully(ref values, worker, batch, range.Lo, ran, skip);
        }
        return timedOutAt >= 0 ? Outcome.TimedOut(range.Lo + timedOutAt) : Outcome.Done(range.Lo + ran);
    }

    /// <summary>Some result did not deserialize: read value by value, failing only the values that do not.</summary>
    private static void ReadCarefully(ref MessagePackReader reader, WorkerProcess worker, Batch<TIn, TOut> batch, int lo, int count, bool[]? skip)
    {
        for (var i = 0; i < count; i++)
        {
            if (skip is not null && skip[i])
            {
                reader.Skip();
                continue;
            }
            var before = reader;
            try
            {
                batch.Values[lo + i] = Codec<TOut>.Instance.ReadOne(ref reader);
            }
            catch (MessagePackSerializationException e)
            {
                reader = before;
                reader.Skip();
                batch.SetError(lo + i, new MessagePackSerializationException($"The result from worker {worker.Id} could not be deserialized: {e.Message}", e));
            }
        }
    }

    /// <summary>Positions [Lo, Hi) of the batch; Crashes = how many workers died running exactly this range.</summary>
    private readonly record struct Range(int Lo, int Hi, int Crashes)
    {
        public int Count => Hi - Lo;
    }

    private enum OutcomeKind
    {
        Done,
        TimedOut,
        BadInput,
        Crashed,
    }

    /// <summary>Done: positions [Lo, End) have outcomes. TimedOut: [Lo, End) have outcomes, End timed out. BadInput: End could not be serialized.</summary>
    private readonly record struct Outcome(OutcomeKind Kind, int End, Exception? Error, string? Reason)
    {
        public static Outcome Done(int end) => new(OutcomeKind.Done, end, null, null);

        public static Outcome TimedOut(int at) => new(OutcomeKind.TimedOut, at, null, null);

        public static Outcome Bad(int at, Exception error) => new(OutcomeKind.BadInput, at, error, null);

        public static Outcome Crash(string reason) => new(OutcomeKind.Crashed, 0, null, reason);
    }
}
