using MessagePack;

using Parmap.Executors;
using Parmap.Remote;
using Parmap.Shipping;

namespace Parmap.Executors.Processes;

/// <summary>
/// Runs batches of one function on the lane's worker process: the pipe exchange (Open once per worker, Batch, then the
/// Result or the end of the worker's stream), with the shared recovery policy (<see cref="BatchRecovery"/>) deciding what
/// runs again after a crash, a timeout or an input that cannot be sent. Values are taken only from complete Result
/// frames, so every position gets exactly one outcome.
/// </summary>
internal sealed class ProcessBatchRunner<TIn, TOut>(ProcessExecutor executor, ShippedFunction function) : IBatchRunner<TIn, TOut>
{
    /// <summary>How long a cancelled batch may take to stop at an item boundary before its worker is killed.</summary>
    private static readonly TimeSpan s_cancelGrace = TimeSpan.FromSeconds(1);
    private static long s_lastBatchId;
    private readonly WorkerSettings _settings = executor.Settings;

    public async ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
    {
        var recovery = new BatchRecovery(batch.Count);
        while (!cancellationToken.IsCancellationRequested && recovery.TryNext(out var range))
        {
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
                    recovery.Postpone(range);
                    continue;
                }
                range = recovery.Cut(range, (int)Math.Min(room, int.MaxValue));
            }
            var outcome = await RunOnWorkerAsync(lane, worker, batch, range, cancellationToken).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case OutcomeKind.Done:
                    worker.ItemsRun += outcome.End - range.Lo;
                    recovery.Done(range, outcome.End);
                    if (outcome.End == range.Hi && ShouldRecycle(worker))
                    {
                        executor.Discard(lane, worker, kill: false);
                    }
                    break;
                case OutcomeKind.TimedOut:
                    executor.Discard(lane, worker, kill: true);
                    batch.SetError(outcome.End, new ItemTimeoutException(_settings.ItemTimeout!.Value, worker.Id));
                    recovery.TimedOut(range, outcome.End);
                    break;
                case OutcomeKind.Unsendable:
                    batch.SetError(outcome.End, outcome.Error!);
                    recovery.Unsendable(range, outcome.End);
                    break;
                case OutcomeKind.Crashed:
                    // Not killed: it is already dying (end of its stream), and its own exit code says how it died.
                    executor.Discard(lane, worker, kill: false);
                    if (recovery.Crashed(range, outcome.End, Running(worker, outcome.BatchId, range)) is { } failed)
                    {
                        var (code, head, tail) = await worker.CollectDeathAsync().ConfigureAwait(false);
                        batch.SetError(failed, new WorkerCrashedException(worker.Id, worker.Pid, code, outcome.Reason!, head, tail, batch.Inputs[failed]));
                    }
                    break;
            }
        }
        // Positions past what ran (the run was cancelled) count as not run: drop any error set there.
        for (var p = recovery.Ran; p < batch.Count; p++)
        {
            batch.ClearError(p);
        }
        batch.Ran = recovery.Ran;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The batch position whose item the dead worker was running, from its position word; null when not known.</summary>
    private static int? Running(WorkerProcess worker, long batchId, BatchRange range)
    {
        if (worker.Position is not var (id, state) || id != batchId || state < 0 || (state & 1) == 0)
        {
            return null;
        }
        var position = range.Lo + (int)(state >> 1);
        return position < range.Hi ? position : null;
    }

    private bool ShouldRecycle(WorkerProcess worker) =>
        (_settings.RecycleAfterItems is { } items && worker.ItemsRun >= items)
        || (_settings.RecycleAboveMemory is { } bytes && worker.MemoryBytes > bytes);

    private async ValueTask<Outcome> RunOnWorkerAsync(int lane, WorkerProcess worker, Batch<TIn, TOut> batch, BatchRange range, CancellationToken cancellationToken)
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
            var writer = worker.Buffer.Begin(MessageKind.Batch);
            writer.Write(batchId);
            writer.Write(function.Id);
            writer.Write(range.Count);
            if (!BatchCodec<TIn, TOut>.TryWriteInputs(ref writer, batch, range.Lo, range.Count, out var bad, out var error))
            {
                return Outcome.Unsendable(bad, error!);
            }
            worker.MarkSent();
            await worker.SendAsync(worker.Buffer.End(ref writer)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Broken pipe: the worker is gone; its end of stream says no more, the recovery policy takes over.
            return Outcome.Crash("the worker process exited", range.Lo, batchId);
        }
        // Partial frames bring outcomes as the worker finishes them; the Result frame ends the batch.
        var received = range.Lo;
        CancellationTokenSource? grace = null;
        try
        {
            while (true)
            {
                (Frame? Frame, bool Silent) answer;
                try
                {
                    answer = grace is null
                        ? await worker.ReceiveAsync(_settings.SilenceLimit, cancellationToken).ConfigureAwait(false)
                        : await worker.ReceiveAsync(null, grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (grace is null && cancellationToken.IsCancellationRequested)
                {
                    // The run was cancelled mid-batch: the worker stops after its current item and answers what it ran,
                    // unless it does not within the grace period (an item that ignores the token): then it is killed.
                    grace = new CancellationTokenSource(s_cancelGrace, executor.Time);
                    if (!await CancelAsync(worker, batchId).ConfigureAwait(false))
                    {
                        executor.Discard(lane, worker, kill: true);
                        return Outcome.Done(received);
                    }
                    continue;
                }
                catch (OperationCanceledException) when (grace is not null)
                {
                    executor.Discard(lane, worker, kill: true);
                    return Outcome.Done(received);
                }
                if (answer.Frame is not { } frame)
                {
                    if (grace is not null)
                    {
                        return Outcome.Done(received);
                    }
                    if (answer.Silent)
                    {
                        worker.Kill();
                        return Outcome.Crash($"the worker stopped responding (no heartbeat for {_settings.SilenceLimit!.Value.TotalSeconds:0.#} s) and was killed", received, batchId);
                    }
                    return Outcome.Crash(worker.ProtocolError ?? "the worker process exited", received, batchId);
                }
                using (frame)
                {
                    if (ReadAnswer(worker, frame, batchId, batch, range, ref received) is { } final)
                    {
                        return final;
                    }
                }
            }
        }
        finally
        {
            grace?.Dispose();
        }
    }

    /// <summary>Asks the worker to stop its batch after the current item; false when it cannot be told (it is gone).</summary>
    private static async ValueTask<bool> CancelAsync(WorkerProcess worker, long batchId)
    {
        try
        {
            var cancel = worker.Buffer.Begin(MessageKind.Cancel);
            cancel.Write(batchId);
            await worker.SendAsync(worker.Buffer.End(ref cancel)).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Applies one frame of the worker's answer: a Partial frame's outcomes (null: more to come), or the Result that ends the batch.</summary>
    private static Outcome? ReadAnswer(WorkerProcess worker, Frame frame, long batchId, Batch<TIn, TOut> batch, BatchRange range, ref int received)
    {
        var reader = frame.Reader();
        var kind = (MessageKind)reader.ReadInt32();
        if (kind == MessageKind.OpenFailed)
        {
            _ = reader.ReadInt32();
            var message = reader.ReadString();
            var cause = RemoteError.Read(ref reader, worker.Origin);
            throw new WorkerStartException($"Worker {worker.Id} could not rebuild the function: {message}", cause);
        }
        if (kind == MessageKind.Partial && reader.ReadInt64() == batchId)
        {
            received = Math.Max(received, range.Lo + BatchCodec<TIn, TOut>.ReadResults(ref reader, batch, range.Lo, worker.Origin));
            return null;
        }
        if (kind != MessageKind.Result || reader.ReadInt64() != batchId)
        {
            worker.Kill();
            return Outcome.Crash($"the worker sent an unexpected {kind} message", received, batchId);
        }
        var timedOutAt = reader.ReadInt32();
        worker.MemoryBytes = reader.ReadInt64();
        batch.ItemTime += TimeSpan.FromTicks(reader.ReadInt64());
        batch.CpuWait += TimeSpan.FromTicks(reader.ReadInt64());
        var end = range.Lo + BatchCodec<TIn, TOut>.ReadResults(ref reader, batch, range.Lo, worker.Origin);
        return timedOutAt >= 0 ? Outcome.TimedOut(range.Lo + timedOutAt) : Outcome.Done(end);
    }

    private enum OutcomeKind
    {
        Done,
        TimedOut,
        Unsendable,
        Crashed,
    }

    /// <summary>
    /// Done: positions [Lo, End) have outcomes. TimedOut: [Lo, End) have outcomes, End timed out. Unsendable: End could
    /// not be serialized. Crashed: the worker died in batch <c>BatchId</c> after sending the outcomes of [Lo, End).
    /// </summary>
    private readonly record struct Outcome(OutcomeKind Kind, int End, Exception? Error, string? Reason, long BatchId)
    {
        public static Outcome Done(int end) => new(OutcomeKind.Done, end, null, null, 0);

        public static Outcome TimedOut(int at) => new(OutcomeKind.TimedOut, at, null, null, 0);

        public static Outcome Unsendable(int at, Exception error) => new(OutcomeKind.Unsendable, at, error, null, 0);

        public static Outcome Crash(string reason, int received, long batchId) => new(OutcomeKind.Crashed, received, null, reason, batchId);
    }
}
