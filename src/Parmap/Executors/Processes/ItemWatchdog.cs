namespace Parmap.Executors.Processes;

/// <summary>
/// Ends an item that runs past the item timeout, in a worker process: a thread of its own checks the running item's
/// start time; a stuck item's batch is answered up to that item (the watchdog wins the race against the batch's own
/// answer), then the process exits, since the stuck item's thread cannot be stopped. It also sends heartbeats, so that
/// the owner can tell a slow item (heartbeats) from a frozen worker (silence).
/// </summary>
internal sealed class ItemWatchdog
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Finished = 2;
    private const int TimedOut = 3;
    private static readonly TimeSpan s_heartbeatEvery = TimeSpan.FromMilliseconds(500);
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Action<int> _answerTimedOut;
    private readonly Action<int> _heartbeat;
    private int _state;
    private int _position;
    private long _itemStart;

    /// <param name="timeout">The item timeout.</param>
    /// <param name="answerTimedOut">Answers the running batch up to the given (stuck) position; the process then exits.</param>
    /// <param name="heartbeat">Sends a heartbeat at the given position.</param>
    public ItemWatchdog(TimeSpan timeout, Action<int> answerTimedOut, Action<int> heartbeat)
    {
        _timeout = timeout;
        _answerTimedOut = answerTimedOut;
        _heartbeat = heartbeat;
        new Thread(Watch) { IsBackground = true, Name = "Parmap worker watchdog" }.Start();
    }

    /// <summary>A batch starts: its first item is about to run.</summary>
    public void Begin()
    {
        Volatile.Write(ref _itemStart, _time.GetTimestamp());
        Volatile.Write(ref _position, 0);
        Volatile.Write(ref _state, Running);
    }

    /// <summary>The item at <paramref name="position"/> starts (start time first, then position: the watchdog reads them in the other order, so it can only under-estimate).</summary>
    public void Mark(int position)
    {
        Volatile.Write(ref _itemStart, _time.GetTimestamp());
        Volatile.Write(ref _position, position);
    }

    /// <summary>The batch is done; false when the watchdog has already answered for it (the process is exiting).</summary>
    public bool TryFinish() => Interlocked.CompareExchange(ref _state, Finished, Running) == Running;

    private void Watch()
    {
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(_timeout.TotalMilliseconds / 8, 1, 100));
        var lastBeat = _time.GetTimestamp();
        while (true)
        {
            // A plain sleep on a thread of its own, not a timer: timers complete on the thread pool, which the stuck
            // item's code may be starving, and this thread must run whatever the items do.
#pragma warning disable RS0030
            Thread.Sleep(tick);
#pragma warning restore RS0030
            if (Volatile.Read(ref _state) != Running)
            {
                continue;
            }
            var position = Volatile.Read(ref _position);
            var start = Volatile.Read(ref _itemStart);
            if (_time.GetElapsedTime(start) > _timeout)
            {
                if (Interlocked.CompareExchange(ref _state, TimedOut, Running) == Running)
                {
                    _answerTimedOut(position);
                    Native.ExitNow(WorkerServer.ExitTimedOut);
                }
                continue;
            }
            if (_time.GetElapsedTime(lastBeat) >= s_heartbeatEvery)
            {
                lastBeat = _time.GetTimestamp();
                _heartbeat(position);
            }
        }
    }

}
