namespace Parmap.Scheduling;

/// <summary>
/// Counts what a run does (items, failures, retries, batches, busy time), reports progress at most every interval,
/// and builds the run's report. Shared by the lanes: every counter is updated with interlocked operations.
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
    private long _start;
    private long _nextProgress;

    public void Start()
    {
        _start = _time.GetTimestamp();
        _nextProgress = _start + _progressEvery;
    }

    /// <summary>Now, in the clock's timestamp ticks.</summary>
    public long Timestamp() => _time.GetTimestamp();

    /// <summary>A batch that started at <paramref name="startTimestamp"/> is done: counts it and its time as busy; returns its duration in ticks.</summary>
    public long BatchDone(long startTimestamp)
    {
        var elapsed = _time.GetTimestamp() - startTimestamp;
        Interlocked.Add(ref _busy, elapsed);
        Interlocked.Increment(ref _batches);
        return elapsed;
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
            progress.Report(Snapshot());
        }
    }

    /// <summary>The final progress update.</summary>
    public void ReportFinalProgress() => settings.Progress?.Report(Snapshot());

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

    public RunReport Report(int largestBatch, bool stopped) => new()
    {
        Executor = settings.ExecutorName,
        Workers = settings.Lanes,
        Succeeded = _succeeded,
        Failed = _failed,
        Retried = _retried,
        Resumed = _resumed,
        Batches = _batches,
        BatchSize = largestBatch,
        Wall = _time.GetElapsedTime(_start),
        Busy = TimeSpan.FromSeconds((double)_busy / _time.TimestampFrequency),
        Stopped = stopped,
    };
}
