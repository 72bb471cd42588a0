using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

using MessagePack;

using Microsoft.Win32.SafeHandles;

using Parmap.Shipping;

namespace Parmap.Executors.Processes;

/// <summary>
/// The worker side: sets the process up (orphan guard, signals, stdio), then serves the owner's frames until told to
/// stop. Three threads: the main thread runs batches; a reader thread takes frames off the pipe (and exits the process
/// the moment the pipe ends: the owner is gone); with an item timeout, a watchdog ends a stuck item.
/// </summary>
internal sealed class WorkerHost
{
    private const int ExitRefused = 3;
    private const int ExitTimedOut = 124;
    private static PosixSignalRegistration? s_ignoreInterrupt;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly int _workerId;
    private readonly BlockingCollection<Frame> _queue = [];
    private readonly Dictionary<int, IWorkerRunner> _runners = [];
    private readonly Lock _writeLock = new();
    private readonly Lock _cancelLock = new();
    private readonly FrameBuffer _buffer = new();
    private CancellationTokenSource _batchCancel = new();
    private long _currentBatch;
    private IWorkerRunner? _currentRunner;
    private int _state;
    private int _position;
    private long _itemStart;
    private TimeSpan? _itemTimeout;

    private WorkerHost(Stream input, Stream output, int workerId)
    {
        _input = input;
        _output = output;
        _workerId = workerId;
    }

    /// <summary>True while the worker reports resident memory with each result (recycling by memory is on).</summary>
    public bool ReportMemory { get; private set; }

    /// <summary>Token of the running batch: cancelled when the owner cancels the run.</summary>
    public CancellationToken BatchToken => _batchCancel.Token;

    /// <summary>Runs the worker and ends the process; never returns.</summary>
    public static void RunAndExit(string workerIdText)
    {
        int code;
        try
        {
            code = Run(int.Parse(workerIdText, CultureInfo.InvariantCulture));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Parmap worker {workerIdText} failed: {e}");
            code = 70;
        }
        Environment.Exit(code);
    }

    private static int Run(int workerId)
    {
        var owner = int.Parse(Environment.GetEnvironmentVariable(WorkerLaunch.OwnerVariable) ?? "0", CultureInfo.InvariantCulture);
        WorkerLaunch.ClearWorkerEnvironment();
        if (OperatingSystem.IsLinux())
        {
            // Killed by the kernel when the owner's spawner thread (so the owner) dies, even by SIGKILL. The owner may
            // have died before the request took effect: then the parent is already someone else.
            Native.KillMeWhenParentDies();
            if (Native.ParentProcessId() != owner)
            {
                return 0;
            }
        }
        // Ctrl-C reaches the whole process group; the owner decides what happens to its workers.
        s_ignoreInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, static context => context.Cancel = true);
        // The protocol moves to private copies of fds 0 and 1; fd 1 then points at stderr (which the owner forwards)
        // and fd 0 at /dev/null, so Console.Write or Console.Read in user code cannot touch the protocol.
        var protocolIn = Native.DupCloseOnExec(0);
        var protocolOut = Native.DupCloseOnExec(1);
        Native.Redirect(2, 1);
        using (var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read))
        {
            Native.Redirect((int)devNull.DangerousGetHandle(), 0);
        }
        Console.SetOut(TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true }));
        Console.SetIn(TextReader.Null);
        var input = new FileStream(new SafeFileHandle(protocolIn, ownsHandle: true), FileAccess.Read, bufferSize: 0);
        var output = new FileStream(new SafeFileHandle(protocolOut, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        Par.InsideWorker = true;
        return new WorkerHost(input, output, workerId).Serve();
    }

    private int Serve()
    {
        var header = new byte[4];
        using (var hello = Wire.ReadFrame(_input, header))
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
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "Parmap worker reader" };
        reader.Start();
        if (_itemTimeout is not null)
        {
            new Thread(Watchdog) { IsBackground = true, Name = "Parmap worker watchdog" }.Start();
        }
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
                        var batchId = message.ReadInt64();
                        var functionId = message.ReadInt32();
                        var count = message.ReadInt32();
                        _runners[functionId].Run(this, batchId, ref message, count);
                        break;
                    case MessageKind.Shutdown:
                        return 0;
                    default:
                        throw new InvalidDataException($"Unexpected message {frame.Kind} from the owner.");
                }
            }
        }
        return 0;
    }

    /// <summary>Checks the build, runs the initializer, answers Ready; returns an exit code when the worker refuses.</summary>
    private int? Greet(Frame hello)
    {
        var reader = hello.Reader();
        var kind = (MessageKind)reader.ReadInt32();
        var version = reader.ReadInt32();
        var entry = reader.ReadString();
        var parmap = reader.ReadString();
        var timeout = reader.ReadInt64();
        ReportMemory = reader.ReadBoolean();
        var initializer = reader.TryReadNil() ? null : reader.ReadBytes()?.ToArray();
        if (kind != MessageKind.Hello || version != Wire.ProtocolVersion)
        {
            Refuse($"the owner speaks protocol {version}, this worker {Wire.ProtocolVersion}", null);
            return ExitRefused;
        }
        if (entry != BuildId.EntryMvid || parmap != BuildId.ParmapMvid)
        {
            var which = entry != BuildId.EntryMvid
                ? $"{BuildId.EntryName} has module version id {BuildId.EntryMvid} in the worker but {entry} in the owner"
                : $"Parmap has module version id {BuildId.ParmapMvid} in the worker but {parmap} in the owner";
            Refuse($"it runs a different build of the application than its owner ({which}). The application was probably rebuilt " +
                "or replaced on disk while it ran; restart it so that owner and workers run the same code.", null);
            return ExitRefused;
        }
        _itemTimeout = timeout >= 0 ? TimeSpan.FromMilliseconds(timeout) : null;
        if (initializer is not null)
        {
            try
            {
                var action = (Action)FunctionPacker.Unpack(initializer);
                action();
            }
            catch (Exception e)
            {
                Refuse($"its WorkerInitializer threw {e.GetType().Name}: {e.Message}", e);
                return ExitRefused;
            }
        }
        lock (_writeLock)
        {
            var writer = _buffer.Begin(MessageKind.Ready);
            writer.Write(Wire.Magic);
            writer.Write(Environment.ProcessId);
            Send(_buffer.End(ref writer));
        }
        return null;
    }

    private void Refuse(string message, Exception? cause)
    {
        lock (_writeLock)
        {
            var writer = _buffer.Begin(MessageKind.Refused);
            writer.Write(message);
            if (cause is null)
            {
                writer.WriteNil();
            }
            else
            {
                RemoteError.Write(ref writer, cause);
            }
            Send(_buffer.End(ref writer));
        }
    }

    private void Open(ref MessagePackReader message)
    {
        var id = message.ReadInt32();
        var shape = message.ReadInt32();
        var payload = message.ReadBytes()?.ToArray() ?? [];
        try
        {
            var function = FunctionPacker.Unpack(payload);
            var (tin, tout) = ShippedFunction.TypesOf(function, shape);
            var runnerType = typeof(WorkerRunner<,>).MakeGenericType(tin, tout);
            _runners.Clear();
            _runners[id] = (IWorkerRunner)Activator.CreateInstance(runnerType, function, shape)!;
        }
        catch (Exception e)
        {
            var error = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            lock (_writeLock)
            {
                var writer = _buffer.Begin(MessageKind.OpenFailed);
                writer.Write(id);
                writer.Write($"{error.GetType().Name}: {error.Message}");
                RemoteError.Write(ref writer, error);
                Send(_buffer.End(ref writer));
            }
        }
    }

    /// <summary>Called by a runner before it runs its first item.</summary>
    public void BeginBatch(long batchId, IWorkerRunner runner)
    {
        lock (_cancelLock)
        {
            if (!_batchCancel.TryReset())
            {
                _batchCancel = new CancellationTokenSource();
            }
            _currentBatch = batchId;
        }
        _currentRunner = runner;
        Volatile.Write(ref _itemStart, Stopwatch.GetTimestamp());
        Volatile.Write(ref _position, 0);
        Volatile.Write(ref _state, 1);
    }

    /// <summary>Called by a runner before each item (start time first, then position: the watchdog reads them in the other order, so it can only under-estimate).</summary>
    public void MarkItem(int position)
    {
        if (_itemTimeout is not null)
        {
            Volatile.Write(ref _itemStart, Stopwatch.GetTimestamp());
        }
        Volatile.Write(ref _position, position);
    }

    /// <summary>Called by a runner when its batch is done; false when the watchdog has already answered for it (the process is exiting).</summary>
    public bool TryFinishBatch() => Interlocked.CompareExchange(ref _state, 2, 1) == 1;

    /// <summary>Writes a frame the runner builds into the shared buffer, under the write lock.</summary>
    public void Answer<TState>(TState state, FrameWriter<TState> build)
    {
        lock (_writeLock)
        {
            Send(build(_buffer, state));
        }
    }

    private void Send(ReadOnlyMemory<byte> frame)
    {
        _output.Write(frame.Span);
        _output.Flush();
    }

    private void ReadLoop()
    {
        var header = new byte[4];
        while (true)
        {
            Frame? frame;
            try
            {
                frame = Wire.ReadFrame(_input, header);
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
            if (frame.Kind == MessageKind.Cancel)
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

    private void Watchdog()
    {
        var timeout = _itemTimeout!.Value;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 8, 1, 100));
        var heartbeatEvery = TimeSpan.FromMilliseconds(500);
        var lastBeat = Stopwatch.GetTimestamp();
        while (true)
        {
            Thread.Sleep(tick);
            if (Volatile.Read(ref _state) != 1)
            {
                continue;
            }
            var position = Volatile.Read(ref _position);
            var start = Volatile.Read(ref _itemStart);
            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                if (Interlocked.CompareExchange(ref _state, 3, 1) == 1)
                {
                    // Answer for the batch: items before the stuck one are done and their results go back; then leave,
                    // since the stuck item's thread cannot be stopped.
                    _currentRunner!.AnswerTimedOut(this, Volatile.Read(ref _currentBatch), position);
                    Native.ExitNow(ExitTimedOut);
                }
                continue;
            }
            if (Stopwatch.GetElapsedTime(lastBeat) >= heartbeatEvery)
            {
                lastBeat = Stopwatch.GetTimestamp();
                lock (_writeLock)
                {
                    var writer = _buffer.Begin(MessageKind.Heartbeat);
                    writer.Write(Volatile.Read(ref _currentBatch));
                    writer.Write(position);
                    Send(_buffer.End(ref writer));
                }
            }
        }
    }

    /// <summary>Resident set size of this process in bytes, from /proc/self/statm (0 where unavailable).</summary>
    public static long ResidentBytes()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}

/// <summary>Builds one frame into <paramref name="buffer"/> and returns it.</summary>
internal delegate ReadOnlyMemory<byte> FrameWriter<TState>(FrameBuffer buffer, TState state);

/// <summary>A worker-side runner for one function, whatever its input and result types.</summary>
internal interface IWorkerRunner
{
    void Run(WorkerHost host, long batchId, ref MessagePackReader inputs, int count);

    void AnswerTimedOut(WorkerHost host, long batchId, int position);
}
