using System.Runtime.ExceptionServices;

namespace Parmap.Scheduling;

/// <summary>
/// The one scheduler every executor shares. It runs one lane per worker; each lane loops:
/// <code>
///   size = sizer.Next()  ─► sink.Reserve(size) ─► source.Take(batch, size) ─► runner.RunAsync(lane, batch)
///        ▲                                                                          │
///        └──── progress ◄── sink.Deliver(values / failures) ◄── retries ◄──────────┘
/// </code>
/// The first failure under <see cref="ErrorPolicy.Stop"/>, a broken executor, or the caller's token cancels an
/// internal source so that every lane stops after its current item.
/// </summary>
internal sealed class Scheduler<TIn, TOut>
{
    private readonly InputSource<TIn> _source;
    private readonly IBatchRunner<TIn, TOut> _runner;
    private readonly ResultSink<TIn, TOut> _sink;
    private readonly ParOptions _options;
    private readonly ExecutorTraits _traits;
    private readonly int _lanes;
    private readonly BatchSizer _sizer;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _callerToken;
    private readonly TimeProvider _time;
    private readonly long _progressEvery;
    private readonly Lock _failureLock = new();
    private long _succeeded;
    private long _failed;
    private long _retried;
    private long _batches;
    private long _resumed;
    private long _busy;
    private long _start;
    private long _nextProgress;
    private ItemFailedException? _firstFailure;
    private Exception? _fatal;
    private bool _stoppedEarly;

    public Scheduler(InputSource<TIn> source, IBatchRunner<TIn, TOut> runner, ResultSink<TIn, TOut> sink, ExecutorTraits traits, ParOptions options, int maxBatch, CancellationToken callerToken, CancellationToken stopToken = default)
    {
        _source = source;
        _runner = runner;
        _sink = sink;
        _traits = traits;
        _options = options;
        _callerToken = callerToken;
        _time = options.TimeProvider;
        _lanes = source.Count is { } count ? (int)Math.Clamp(count, 1, traits.Workers) : traits.Workers;
        _sizer = new BatchSizer(options.BatchSize, traits.TargetBatchDuration, _lanes, maxBatch, _time.TimestampFrequency);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(callerToken, stopToken);
        _progressEvery = (long)(options.ProgressInterval.TotalSeconds * _time.TimestampFrequency);
    }

    public int Lanes => _lanes;

    /// <summary>Items settled in earlier runs (the journal): skipped and delivered from storage. The default is none.</summary>
    public IRunLedger<TIn, TOut>? Ledger { get; init; }

    /// <summary>Stops taking new items when cancelled, but lets the batches already taken run to their end (a graceful stop).</summary>
    public CancellationToken Drain { get; init; }

    /// <summary>Runs every lane to the end; throws the run's failure, if any, after all lanes have stopped.</summary>
    public async Task<RunReport> RunAsync(IExecutor executor)
    {
        _start = _time.GetTimestamp();
        _nextProgress = _start + _progressEvery;
        try
        {
            await executor.RunLanesAsync(_lanes, LaneAsync).ConfigureAwait(false);
        }
        finally
        {
            _stoppedEarly = _cts.IsCancellationRequested;
            _source.Dispose();
            _cts.Dispose();
        }
        var report = BuildReport();
        Par.SetLastReport(report);
        _options.Progress?.Report(Snapshot());
        if (_fatal is not null)
        {
            ExceptionDispatchInfo.Throw(_fatal);
        }
        if (_firstFailure is not null)
        {
            throw _firstFailure;
        }
        _callerToken.ThrowIfCancellationRequested();
        return report;
    }

    private async ValueTask LaneAsync(int lane)
    {
        var token = _cts.Token;
        var batch = new Batch<TIn, TOut>(16);
        RetryScratch? retry = null;
        var wasInside = Par.InsideWorker;
        Par.InsideWorker = true;
        try
        {
            while (!Cancelled(token) && !Drain.IsCancellationRequested)
            {
                var want = _sizer.Next(_source.Count - _source.Taken);
                if (!await _sink.ReserveAsync(want, token).ConfigureAwait(false))
                {
                    break;
                }
                batch.Reset(want);
                var n = _source.Take(batch, want);
                if (n < want)
                {
                    _sink.Unreserve(want - n);
                }
                if (n == 0)
                {
                    break;
                }
                if (Ledger is { } ledger && ledger.SkipSettled(batch, _sink) is > 0 and var settled)
                {
                    Interlocked.Add(ref _resumed, settled);
                    if (batch.Count == 0)
                    {
                        MaybeReportProgress();
                        continue;
                    }
                }
                var elapsed = await RunBatchAsync(lane, batch, token).ConfigureAwait(false);
                if (batch.Ran == batch.Count)
                {
                    _sizer.Observe(batch.Count, elapsed);
                }
                if (batch.FailedCount > 0 && _options.Retries > 0)
                {
                    retry ??= new RetryScratch();
                    await RetryAsync(lane, batch, retry, token).ConfigureAwait(false);
                }
                Deliver(batch, retry, token);
                MaybeReportProgress();
            }
        }
        catch (Exception e) when (!(e is OperationCanceledException && Cancelled(token)))
        {
            lock (_failureLock)
            {
                _fatal ??= e;
            }
            Cancel();
        }
        finally
        {
            Par.InsideWorker = wasInside;
        }
    }

    private async ValueTask<long> RunBatchAsync(int lane, Batch<TIn, TOut> batch, CancellationToken token)
    {
        var t0 = _time.GetTimestamp();
        await _runner.RunAsync(lane, batch, token).ConfigureAwait(false);
        var elapsed = _time.GetTimestamp() - t0;
        Interlocked.Add(ref _busy, elapsed);
        Interlocked.Increment(ref _batches);
        return elapsed;
    }

    /// <summary>Runs the failed, retryable items of <paramref name="batch"/> again (as one smaller batch) up to Retries times.</summary>
    private async ValueTask RetryAsync(int lane, Batch<TIn, TOut> batch, RetryScratch scratch, CancellationToken token)
    {
        scratch.Begin(batch.Count);
        for (var attempt = 2; attempt <= _options.Retries + 1 && !Cancelled(token); attempt++)
        {
            var again = scratch.Batch;
            again.Reset(batch.FailedCount);
            var k = 0;
            for (var p = 0; p < batch.Ran; p++)
            {
                if (batch.Errors[p] is { } error && ShouldRetry(error, token))
                {
                    scratch.Positions[k] = p;
                    scratch.Attempts[p] = attempt;
                    again.Indices[k] = batch.Indices[p];
                    again.Inputs[k] = batch.Inputs[p];
                    k++;
                }
            }
            if (k == 0)
            {
                break;
            }
            again.Count = k;
            again.Attempt = attempt;
            await RunBatchAsync(lane, again, token).ConfigureAwait(false);
            Interlocked.Add(ref _retried, again.Ran);
            for (var j = 0; j < again.Ran; j++)
            {
                var p = scratch.Positions[j];
                if (again.Errors[j] is { } error)
                {
                    batch.Errors[p] = error;
                }
                else
                {
                    batch.Values[p] = again.Values[j];
                    batch.Errors[p] = null;
                    batch.FailedCount--;
                }
            }
        }
    }

    private bool ShouldRetry(Exception error, CancellationToken token)
    {
        if (error is OperationCanceledException && Cancelled(token))
        {
            return false;
        }
        return _options.RetryOn?.Invoke(error) ?? error is not OperationCanceledException;
    }

    private void Deliver(Batch<TIn, TOut> batch, RetryScratch? retry, CancellationToken token)
    {
        var succeeded = batch.Ran - batch.FailedCount;
        if (batch.FailedCount > 0)
        {
            for (var p = 0; p < batch.Ran; p++)
            {
                if (batch.Errors[p] is not { } error)
                {
                    continue;
                }
                if (error is OperationCanceledException && Cancelled(token))
                {
                    // Stopped by the run's own cancellation: not a failure of the item.
                    continue;
                }
                var attempts = retry?.AttemptsOf(p) ?? 1;
                Fail(new ItemFailedException(batch.Indices[p], batch.Inputs[p], attempts, error));
            }
        }
        Ledger?.RecordValues(batch);
        _sink.DeliverValues(batch);
        Interlocked.Add(ref _succeeded, succeeded);
    }

    private void Fail(ItemFailedException failure)
    {
        Interlocked.Increment(ref _failed);
        Ledger?.RecordFailure(failure);
        if (_options.ErrorPolicy == ErrorPolicy.Collect)
        {
            _sink.DeliverFailure(failure);
            return;
        }
        lock (_failureLock)
        {
            if (_firstFailure is null || failure.Index < _firstFailure.Index)
            {
                _firstFailure = failure;
            }
        }
        Cancel();
    }

    /// <summary>
    /// Whether the run is being cancelled. The caller's token is asked too: the run's own token follows it through a
    /// callback, which the thread that cancels may run only after others (an item's cancellation must count as one
    /// even in that window).
    /// </summary>
    private bool Cancelled(CancellationToken token) => token.IsCancellationRequested || _callerToken.IsCancellationRequested;

    private void Cancel()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void MaybeReportProgress()
    {
        if (_options.Progress is not { } progress)
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

    private ProgressInfo Snapshot()
    {
        var elapsed = _time.GetElapsedTime(_start);
        var done = Volatile.Read(ref _succeeded);
        var failed = Volatile.Read(ref _failed);
        var resumed = Volatile.Read(ref _resumed);
        var finished = done + failed;
        var rate = elapsed > TimeSpan.Zero ? finished / elapsed.TotalSeconds : 0;
        var total = _source.Count;
        TimeSpan? eta = total is { } t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - finished - resumed) / rate) : null;
        return new ProgressInfo(done, failed, total, elapsed, rate, eta) { Resumed = resumed };
    }

    private RunReport BuildReport() => new()
    {
        Isolation = _traits.Isolation,
        Workers = _lanes,
        Succeeded = _succeeded,
        Failed = _failed,
        Retried = _retried,
        Resumed = _resumed,
        Batches = _batches,
        BatchSize = _sizer.Largest,
        Wall = _time.GetElapsedTime(_start),
        Busy = TimeSpan.FromSeconds((double)_busy / _time.TimestampFrequency),
        Stopped = _stoppedEarly || Drain.IsCancellationRequested,
    };

    /// <summary>Per-lane buffers for retries, allocated only when something fails.</summary>
    private sealed class RetryScratch
    {
        public Batch<TIn, TOut> Batch { get; } = new(16);

        public int[] Positions { get; private set; } = [];

        public int[] Attempts { get; private set; } = [];

        public void Begin(int count)
        {
            if (Positions.Length < count)
            {
                Positions = new int[count];
                Attempts = new int[count];
            }
            Array.Clear(Attempts, 0, count);
        }

        public int AttemptsOf(int position) => Math.Max(1, Attempts[position]);
    }
}
