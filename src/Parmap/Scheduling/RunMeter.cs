namespace Parmap.Scheduling;

/// <summary>
/// Counts what a run does (items, failures, retries, batches, busy and item time, time waiting for a CPU, start-up, the
/// idle tail), reports progress at most every interval, and builds the run's report. Shared by the lanes: every counter
/// is updated with interlocked operations.
/// </summary>
internal sealed class RunMeter(SchedulerSettings settings, Func<long?> total)
{
    private readonly TimeProvider _time = settings.Time;
    private readonly long _progressEvery = (long)(settings.ProgressInterval.TotalSeconds * settings.Time.TimestampFrequency);
    private long _succeeded;
    private long _failed;
    private long _retried;
    private long _batches;
    private long _resumed;
    private long _busy;
    private long _itemTicks;
    private long _cpuWaitTicks;
    private long _startUp = -1;
    private long _laneEnds;
    private int _lanesEnded;
    private long _start;
    private long _nextProgress;
    private long _steadyItemTicks;
    private long _steadyItems;
    private long _allItems;

    public void Start()
    {
        _start = _time.GetTimestamp();
        _nextProgress = _start + _progressEvery;
    }

    /// <summary>Now, in the clock's timestamp ticks.</summary>
    public long Timestamp() => _time.GetTimestamp();

    /// <summary>
    /// A batch of <paramref name="count"/> items that started at <paramref name="startTimestamp"/> is done: counts it and
    /// its time as busy, and its items' time (as the executor measured it where they ran, else the batch's own time);
    /// returns its duration in ticks.
    /// </summary>
    public long BatchDone(long startTimestamp, int count, TimeSpan itemTime, TimeSpan cpuWait)
    {
        var now = _time.GetTimestamp();
        var elapsed = now - startTimestamp;
        var items = itemTime > TimeSpan.Zero ? (long)(itemTime.TotalSeconds * _time.TimestampFrequency) : elapsed;
        Interlocked.Add(ref _busy, elapsed);
        Interlocked.Add(ref _itemTicks, Math.Min(items, elapsed));
        Interlocked.Add(ref _allItems, count);
        if (startTimestamp - _start >= (long)(SteadyAfter.TotalSeconds * _time.TimestampFrequency))
        {
            Interlocked.Add(ref _steadyItemTicks, Math.Min(items, elapsed));
            Interlocked.Add(ref _steadyItems, count);
        }
        Interlocked.Add(ref _cpuWaitTicks, (long)(cpuWait.TotalSeconds * _time.TimestampFrequency));
        Interlocked.Increment(ref _batches);
        // The first batch back: what came before its items is the executor starting (threads: nothing; processes: starting them).
        Interlocked.CompareExchange(ref _startUp, Math.Max(0, now - _start - items), -1);
        return elapsed;
    }

    /// <summary>
    /// Batches that start this long after the run are past its warm-up: the runtime compiles a function's code at a
    /// first, quick tier and optimizes it once it has run a while, so the first items of a process's first map of a
    /// function run slower than the rest.
    /// </summary>
    public static readonly TimeSpan SteadyAfter = TimeSpan.FromSeconds(0.25);

    /// <summary>
    /// Item time per item of the batches that started after the warm-up (<see cref="SteadyAfter"/>), when they hold at
    /// least half of the items; else of all batches. Null before any item.
    /// </summary>
    public TimeSpan? ItemTimePerItem()
    {
        var steady = Volatile.Read(ref _steadyItems);
        var all = Volatile.Read(ref _allItems);
        if (all == 0)
        {
            return null;
        }
        return 2 * steady >= all
            ? Time(Volatile.Read(ref _steadyItemTicks) / steady)
            : Time(Volatile.Read(ref _itemTicks) / all);
    }

    /// <summary>Time a lane's thread waited for a CPU while it ran items, measured by the lane.</summary>
    public void AddCpuWait(TimeSpan wait) => Interlocked.Add(ref _cpuWaitTicks, (long)(wait.TotalSeconds * _time.TimestampFrequency));

    /// <summary>A lane took its last batch and stopped.</summary>
    public void LaneEnded()
    {
        Interlocked.Add(ref _laneEnds, _time.GetTimestamp() - _start);
        Interlocked.Increment(ref _lanesEnded);
    }

    public void Succeeded(long items) => Interlocked.Add(ref _succeeded, items);

    public void Failed() => Interlocked.Increment(ref _failed);

    public void Retried(long items) => Interlocked.Add(ref _retried, items);

    public void Resumed(long items) => Interlocked.Add(ref _resumed, items);

    /// <summary>Reports progress when the interval has passed since the last report (one lane wins the race).</summary>
    public void MaybeReportProgress()
    {
        if (settings.Progress is not { } progress)
        {
            return;
        }
        var now = _time.GetTimestamp();
        var due = Volatile.Read(ref _nextProgress);
        if (now >= due && Interlocked.CompareExchange(ref _nextProgress, now + _progressEvery, due) == due)
        {
            Report(progress);
        }
    }

    /// <summary>The final progress update.</summary>
    public void ReportFinalProgress()
    {
        if (settings.Progress is { } progress)
        {
            Report(progress);
        }
    }

    /// <summary>Calls the user's progress callback; an exception it throws stops the run, saying where it came from.</summary>
    private void Report(IProgress<ProgressInfo> progress)
    {
        try
        {
            progress.Report(Snapshot());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"The progress callback (ParOptions.Progress, {progress.GetType().Name}) threw {e.GetType().Name}: {e.Message} The run was stopped; the items are not at fault. Fix the callback, or catch exceptions inside it.", e);
        }
    }

    public ProgressInfo Snapshot()
    {
        var elapsed = _time.GetElapsedTime(_start);
        var done = Volatile.Read(ref _succeeded);
        var failed = Volatile.Read(ref _failed);
        var resumed = Volatile.Read(ref _resumed);
        var finished = done + failed;
        var rate = elapsed > TimeSpan.Zero ? finished / elapsed.TotalSeconds : 0;
        var count = total();
        TimeSpan? eta = count is { } t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - finished - resumed) / rate) : null;
        return new ProgressInfo(done, failed, count, elapsed, rate, eta) { Resumed = resumed };
    }

    public RunReport Report(int lanes, int largestBatch, bool stopped, bool ranInline)
    {
        var wall = _time.GetTimestamp() - _start;
        return new()
        {
            Executor = settings.ExecutorName,
            Workers = lanes,
            Succeeded = _succeeded,
            Failed = _failed,
            Retried = _retried,
            Resumed = _resumed,
            Batches = _batches,
            BatchSize = largestBatch,
            Wall = Time(wall),
            Busy = Time(_busy),
            ItemTime = Time(_itemTicks),
            CpuWait = Time(Math.Min(_cpuWaitTicks, _itemTicks)),
            StartUp = Time(Math.Max(0, _startUp)),
            IdleTail = Time(Math.Max(0, ((long)_lanesEnded * wall) - _laneEnds)),
            RanInline = ranInline,
            Stopped = stopped,
        };
    }

    private TimeSpan Time(long ticks) => TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
}
