using System.Buffers;
using System.Collections.Concurrent;

using MessagePack;

using Parmap.Remote;
using Parmap.Scheduling;
using Parmap.Shipping;

namespace Parmap.Executors.Processes;

/// <summary>
/// The worker side of the process protocol: greets the owner (same build? run the initializer), then serves its frames
/// until told to stop. The main thread runs batches (with the same item loop as the thread executor, through
/// <see cref="RemoteBatchRunner{TIn, TOut}"/>); a reader thread takes frames off the pipe and exits the process the moment
/// the pipe ends (the owner is gone); with an item timeout, an <see cref="ItemWatchdog"/> ends a stuck item.
/// </summary>
internal sealed partial class WorkerServer(Stream input, Stream output)
{
    public const int ExitRefused = 3;
    public const int ExitTimedOut = 124;
    private readonly BlockingCollection<Frame> _queue = [];
    private readonly Dictionary<int, IRemoteBatchRunner> _runners = [];
    private readonly Lock _writeLock = new();
    private readonly Lock _cancelLock = new();
    private readonly FrameBuffer _buffer = new();
    private CancellationTokenSource _batchCancel = new();
    private long _currentBatch;
    private IRemoteBatchRunner? _currentRunner;
    private ItemWatchdog? _watchdog;
    private BatchProgress _progress = new(null, static (_, _, _) => { });
    private bool _reportMemory;
    private long _batchStarted;
    private long _batchWaitStarted;

    public int Serve()
    {
        var header = new byte[4];
        using (var hello = Frame.Read(input, header))
        {
            if (hello is null)
            {
                return 0;
            }
            if (Greet(hello) is { } refusal)
            {
                return refusal;
            }
        }
        new Thread(ReadLoop) { IsBackground = true, Name = "Parmap worker reader" }.Start();
        foreach (var frame in _queue.GetConsumingEnumerable())
        {
            using (frame)
            {
                var message = frame.Reader();
                switch ((MessageKind)message.ReadInt32())
                {
                    case MessageKind.Open:
                        Open(ref message);
                        break;
                    case MessageKind.Batch:
                        RunBatch(ref message);
                        break;
                    case MessageKind.Shutdown:
                        return 0;
                    default:
                        throw new InvalidDataException($"Unexpected message {frame.KindOf()} from the owner.");
                }
            }
        }
        return 0;
    }

    private void RunBatch(ref MessagePackReader message)
    {
        var batchId = message.ReadInt64();
        var runner = _runners[message.ReadInt32()];
        var count = message.ReadInt32();
        runner.ReadInputs(ref message, count);
        CancellationToken token;
        lock (_cancelLock)
        {
            if (!_batchCancel.TryReset())
            {
                _batchCancel = new CancellationTokenSource();
            }
            _currentBatch = batchId;
            token = _batchCancel.Token;
        }
        _currentRunner = runner;
        _batchStarted = TimeProvider.System.GetTimestamp();
        _batchWaitStarted = CpuWait.Nanoseconds();
        _progress.Begin(batchId, count);
        int ran;
        if (_watchdog is { } watchdog)
        {
            watchdog.Begin();
            ran = runner.Run(new BatchProgress.WatchedHook(_progress, watchdog), token);
            watchdog.Mark(ran);
            if (!watchdog.TryFinish())
            {
                // The watchdog answered for this batch (an item timed out) and is ending the process: park until it has.
#pragma warning disable RS0030
                Thread.Sleep(Timeout.Infinite);
#pragma warning restore RS0030
            }
        }
        else
        {
            ran = runner.Run(new BatchProgress.Hook(_progress), token);
        }
        Answer(batchId, runner, ran, timedOutAt: -1);
    }

    /// <summary>The watchdog found the item at <paramref name="position"/> stuck: answer the batch up to it.</summary>
    private void AnswerTimedOut(int position) => Answer(Volatile.Read(ref _currentBatch), _currentRunner!, position, timedOutAt: position);

    /// <summary>Sends the outcomes of positions [from, to) of the running batch (see <see cref="BatchProgress"/>).</summary>
    private void SendPartial(long batchId, int from, int to)
    {
        var runner = _currentRunner!;
        lock (_writeLock)
        {
            ReadOnlyMemory<byte> frame;
            try
            {
                frame = WritePartial(batchId, runner, from, to);
            }
            catch (Exception e) when (e is MessagePackSerializationException or InvalidOperationException or NotSupportedException or ArgumentException)
            {
                runner.FailUnwritableResults(from, to);
                frame = WritePartial(batchId, runner, from, to);
            }
            Send(frame);
        }
    }

    private ReadOnlyMemory<byte> WritePartial(long batchId, IRemoteBatchRunner runner, int from, int to)
    {
        var writer = _buffer.Begin(MessageKind.Partial);
        writer.Write(batchId);
        runner.WriteResults(ref writer, from, to);
        return _buffer.End(ref writer);
    }

    /// <summary>Writes the Result frame for positions [sent, ran) (the rest went in Partial frames); a result that does not serialize fails that item only.</summary>
    private void Answer(long batchId, IRemoteBatchRunner runner, int ran, int timedOutAt)
    {
        var memory = _reportMemory ? Native.ResidentBytes() : 0L;
        // The watchdog answers from its own thread: the wait it could measure would be its own, not the items'.
        var waited = timedOutAt < 0 ? CpuWait.Nanoseconds() - _batchWaitStarted : 0;
        var times = (TimeProvider.System.GetElapsedTime(_batchStarted).Ticks, waited / 100);
        lock (_writeLock)
        {
            var from = Math.Min(_progress.Sent, ran);
            ReadOnlyMemory<byte> frame;
            try
            {
                frame = WriteResult(batchId, runner, from, ran, timedOutAt, memory, times);
            }
            catch (Exception e) when (e is MessagePackSerializationException or InvalidOperationException or NotSupportedException or ArgumentException)
            {
                runner.FailUnwritableResults(from, ran);
                frame = WriteResult(batchId, runner, from, ran, timedOutAt, memory, times);
            }
            Send(frame);
        }
    }

    private ReadOnlyMemory<byte> WriteResult(long batchId, IRemoteBatchRunner runner, int from, int ran, int timedOutAt, long memory, (long ItemTicks, long WaitTicks) times)
    {
        var writer = _buffer.Begin(MessageKind.Result);
        writer.Write(batchId);
        writer.Write(timedOutAt);
        writer.Write(memory);
        writer.Write(times.ItemTicks);
        writer.Write(times.WaitTicks);
        runner.WriteResults(ref writer, from, ran);
        return _buffer.End(ref writer);
    }

    private void Heartbeat(int position)
    {
        lock (_writeLock)
        {
            var writer = _buffer.Begin(MessageKind.Heartbeat);
            writer.Write(Volatile.Read(ref _currentBatch));
            writer.Write(position);
            Send(_buffer.End(ref writer));
        }
    }

    private void Send(ReadOnlyMemory<byte> frame)
    {
        output.Write(frame.Span);
        output.Flush();
    }

    private void ReadLoop()
    {
        var header = new byte[4];
        while (true)
        {
            Frame? frame;
            try
            {
                frame = Frame.Read(input, header);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException)
            {
                frame = null;
            }
            if (frame is null)
            {
                // The owner is gone (or closed the pipe): leave now, even in the middle of an item.
                Native.ExitNow(0);
                return;
            }
            if (frame.KindOf() == MessageKind.Cancel)
            {
                var reader = frame.Reader();
                _ = reader.ReadInt32();
                var id = reader.ReadInt64();
                frame.Dispose();
                lock (_cancelLock)
                {
                    if (id == _currentBatch)
                    {
                        _batchCancel.Cancel();
                    }
                }
                continue;
            }
            _queue.Add(frame);
        }
    }
}
