using System.Diagnostics;
using System.Threading.Channels;

using Parmap.Remote;

namespace Parmap.Executors.Processes;

/// <summary>
/// The owner's end of one worker process: its pipes, a dedicated thread that reads its frames with blocking reads
/// (end of stream = the worker is gone, within milliseconds of its death), and a pump that drains its stderr. Used by
/// one lane at a time. A frame is handed to the waiting lane on the reader thread itself (synchronous continuation),
/// and sends are synchronous writes: a round trip wakes one owner thread, not a chain of thread-pool hops, which
/// matters when CPU-bound workers occupy every core.
/// </summary>
internal sealed partial class WorkerProcess
{
    private static int s_lastId;
    [ThreadStatic]
    private static bool s_isReaderThread;
    private readonly Process _process;
    private readonly Stream _toWorker;
    private readonly Stream _fromWorker;
    private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });
    private readonly StderrPump _stderr;
    private readonly TimeProvider _time;
    private readonly PositionWord? _word;
    private (long, long)? _position;
    private bool _starting = true;
    private long _cpuTicks = -1;
    private long _lastHeard;
    private string? _protocolError;
    private int _killed;

    private WorkerProcess(int id, Process process, OutputForwarder forwarder, TimeProvider time, PositionWord? word)
    {
        Id = id;
        _time = time;
        _word = word;
        _lastHeard = time.GetTimestamp();
        _process = process;
        Pid = process.Id;
        _toWorker = process.StandardInput.BaseStream;
        _fromWorker = process.StandardOutput.BaseStream;
        _stderr = new StderrPump(process.StandardError.BaseStream, id, forwarder);
        Buffer = new FrameBuffer();
        new Thread(ReadLoop) { IsBackground = true, Name = $"Parmap worker {id} reader" }.Start();
    }

    public int Id { get; }

    public int Pid { get; }

    /// <summary>Names the worker in remote stack traces and messages.</summary>
    public string Origin => $"worker {Id}";

    /// <summary>Reused for every frame sent to this worker.</summary>
    public FrameBuffer Buffer { get; }

    /// <summary>Items run by this worker (for recycling).</summary>
    public long ItemsRun { get; set; }

    /// <summary>Resident memory the worker reported after its last batch, in bytes (0 unless recycling by memory).</summary>
    public long MemoryBytes { get; set; }

    /// <summary>Id of the function the worker holds (0 = none).</summary>
    public int OpenedFunction { get; set; }

    /// <summary>True once the worker is known to be gone or was told to go: it takes no more batches.</summary>
    public bool Retired { get; private set; }

    /// <summary>True while the worker can take batches: not retired, still running, and nothing unread from it.</summary>
    public bool CanServe
    {
        get
        {
            try
            {
                return !Retired && !_process.HasExited && !_frames.Reader.TryPeek(out _);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>Time since the worker last sent anything (results or heartbeats).</summary>
    public TimeSpan SilentFor => _time.GetElapsedTime(Volatile.Read(ref _lastHeard));

    /// <summary>
    /// True on a worker reader thread: code that continues there (the lane after a frame arrived) must leave it before
    /// running anything that could wait for that same worker's next frame.
    /// </summary>
    public static bool OnReaderThread => s_isReaderThread;

    /// <summary>
    /// Writes a whole frame. Synchronous: the worker's reader thread always drains its stdin, so the write only waits
    /// for the pipe to take the bytes, and an async write would cost a thread-pool hop per frame.
    /// </summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> frame)
    {
        _toWorker.Write(frame.Span);
        _toWorker.Flush();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The next frame from the worker; null when its stream ended (it died or was killed). With <paramref name="silenceLimit"/>,
    /// also null once the worker has sent nothing at all (not even a heartbeat) for that long; Silent tells which.
    /// </summary>
    public async ValueTask<(Frame? Frame, bool Silent)> ReceiveAsync(TimeSpan? silenceLimit, CancellationToken cancellationToken)
    {
        var reader = _frames.Reader;
        while (true)
        {
            if (reader.TryRead(out var frame))
            {
                return (frame, false);
            }
            if (silenceLimit is not { } limit)
            {
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return (null, false);
                }
                continue;
            }
            var wait = reader.WaitToReadAsync(cancellationToken).AsTask();
            while (!wait.IsCompleted)
            {
                await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken)).ConfigureAwait(false);
                if (!wait.IsCompleted && SilentFor > limit && !UsedCpuWhileStarting())
                {
                    return (null, true);
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (!await wait.ConfigureAwait(false))
            {
                return (null, false);
            }
        }
    }

    /// <summary>
    /// Where the worker was when it last wrote its position word (see <see cref="PositionWord"/>): the batch and its state;
    /// null without a word. Read after the worker died.
    /// </summary>
    public (long BatchId, long State)? Position
    {
        get
        {
            if (_word is not { } word)
            {
                return null;
            }
            lock (word)
            {
                return _position ?? word.Read();
            }
        }
    }

    /// <summary>
    /// Before its handshake, a worker cannot send anything while the runtime starts (it takes longer on a busy machine):
    /// CPU time it used since the last check counts as a sign of life then (and restarts the silence clock). A stopped
    /// (SIGSTOP) or hung worker uses none.
    /// </summary>
    private bool UsedCpuWhileStarting()
    {
        if (!_starting || Native.CpuTicks(Pid) is not { } ticks || ticks == _cpuTicks)
        {
            return false;
        }
        _cpuTicks = ticks;
        Volatile.Write(ref _lastHeard, _time.GetTimestamp());
        return true;
    }

    /// <summary>Restarts the silence clock: called when a batch is sent, since an idle worker sends nothing.</summary>
    public void MarkSent() => Volatile.Write(ref _lastHeard, _time.GetTimestamp());

    /// <summary>Stops taking batches; the caller then kills it or lets it exit.</summary>
    public void Retire() => Retired = true;

    public string? ProtocolError => _protocolError;

    private void ReadLoop()
    {
        s_isReaderThread = true;
        var header = new byte[4];
        try
        {
            while (true)
            {
                var frame = Frame.Read(_fromWorker, header);
                if (frame is null)
                {
                    break;
                }
                Volatile.Write(ref _lastHeard, _time.GetTimestamp());
                if (frame.KindOf() == MessageKind.Heartbeat)
                {
                    frame.Dispose();
                    continue;
                }
                _frames.Writer.TryWrite(frame);
            }
        }
        catch (Exception e)
        {
            // Garbage on the pipe (not a frame) or the pipe broke: either way, no more answers from this worker.
            _protocolError = e is ObjectDisposedException ? null : $"its output was not a Parmap frame ({e.Message})";
        }
        Retired = true;
        _frames.Writer.TryComplete();
    }
}
