using System.Runtime.ExceptionServices;

using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>
/// The one scheduler every executor shares. It runs one lane per worker; each lane loops:
/// <code>
///   size = sizer.Next()  ─► sink.Reserve(size) ─► source.Take(batch, size) ─► ledger.SkipSettled ─► runner.RunAsync(lane, batch)
///        ▲                                                                                              │
///        └──── meter (progress) ◄── sink.Deliver(values / failures) ◄── ledger.Record ◄── retries ◄─────┘
/// </code>
/// The first failure under <see cref="ErrorPolicy.Stop"/>, a broken executor, the caller's token or the stop token
/// cancels an internal source so that every lane stops after its current item; the drain token only stops lanes from
/// taking new items.
/// </summary>
internal sealed partial class Scheduler<TIn, TOut>
{
    private readonly InputSource<TIn> _source;
    private readonly IBatchRunner<TIn, TOut> _runner;
    private readonly ResultSink<TIn, TOut> _sink;
    private readonly IRunLedger<TIn, TOut>? _ledger;
    private readonly SchedulerSettings _settings;
    private readonly BatchSizer _sizer;
    private readonly RunMeter _meter;
    private readonly CancellationTokenSource _cts;
    private readonly InFlight<TIn, TOut> _inFlight;
    private readonly Lock _failureLock = new();
    private ItemFailedException? _firstFailure;
    private Exception? _fatal;

    public Scheduler(InputSource<TIn> source, IBatchRunner<TIn, TOut> runner, ResultSink<TIn, TOut> sink, IRunLedger<TIn, TOut>? ledger, SchedulerSettings settings)
    {
        _source = source;
        _runner = runner;
        _sink = sink;
        _ledger = ledger;
        _settings = settings;
        _sizer = new BatchSizer(settings.BatchSize, settings.TargetBatchDuration, settings.Lanes, settings.MaxBatch, settings.Time.TimestampFrequency, settings.InitialSecondsPerItem);
        _meter = new RunMeter(settings, () => source.Count);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(settings.CallerToken, settings.StopToken);
        _inFlight = new InFlight<TIn, TOut>(settings.Lanes, settings.Time);
    }

    /// <summary>The run's report, once <see cref="RunAsync"/> has finished (also when it threw).</summary>
    public RunReport? Report { get; private set; }

    /// <summary>The batch time of one item as last measured (NaN before any batch): what a later run of the same function can start from.</summary>
    public double SecondsPerItem => _sizer.SecondsPerItem;

    /// <summary>The items' own time per item once the run was past its warm-up (see <see cref="RunMeter.ItemTimePerItem"/>).</summary>
    public TimeSpan? ItemTimePerItem => _meter.ItemTimePerItem();

    /// <summary>
    /// Runs the map: first, when the settings allow, its first items on the calling thread for up to the inline budget
    /// (measuring them, and all of them when the map is that small); then every lane to the end. Throws the run's
    /// failure, if any, after all lanes have stopped.
    /// </summary>
    public async Task<RunReport> RunAsync(IExecutor executor)
    {
        _meter.Start();
        bool stopped;
        var ranInline = false;
        var registration = _settings.CallerToken.Register(_inFlight.Cancelled);
        try
        {
            if (_settings.InlineBudget > TimeSpan.Zero && _settings.Lanes > 1)
            {
                await LaneAsync(0, (long)(_settings.InlineBudget.TotalSeconds * _settings.Time.TimestampFrequency)).ConfigureAwait(false);
                ranInline = _source.Exhausted && _fatal is null;
            }
            if (!ranInline && !Cancelled(_cts.Token) && !_settings.DrainToken.IsCancellationRequested && _fatal is null)
            {
                await executor.RunLanesAsync(_settings.Lanes, lane => LaneAsync(lane, long.MaxValue)).ConfigureAwait(false);
            }
        }
        finally
        {
            stopped = _cts.IsCancellationRequested || _settings.DrainToken.IsCancellationRequested;
            registration.Dispose();
            _source.Dispose();
            _cts.Dispose();
        }
        var report = _meter.Report(ranInline ? 1 : _settings.Lanes, _sizer.Largest, stopped, ranInline);
        Report = report;
        _meter.ReportFinalProgress();
        if (_fatal is not null)
        {
            ExceptionDispatchInfo.Throw(_fatal);
        }
        if (_firstFailure is not null)
        {
            throw _firstFailure;
        }
        _source.Failure?.Throw();
        if (_settings.CallerToken.IsCancellationRequested)
        {
            throw _inFlight.Exception(_settings.CallerToken);
        }
        return report;
    }

    /// <summary>One lane: takes batches until the input ends, the run stops, or <paramref name="budget"/> ticks have passed (the inline phase).</summary>
    private async ValueTask LaneAsync(int lane, long budget)
    {
        var token = _cts.Token;
        var batch = new Batch<TIn, TOut>(16);
        RetryScratch<TIn, TOut>? retry = null;
        var wasInside = Lane.Inside;
        Lane.Inside = true;
        var started = _meter.Timestamp();
        var thread = Environment.CurrentManagedThreadId;
        // Lanes measure the time their thread waited for a CPU (two reads of a /proc file, ~4 us each); the inline phase,
        // a tenth of a millisecond on the caller's thread, does not.
        var measureWait = _settings.MeasureLaneCpuWait && budget == long.MaxValue;
        var waited = measureWait ? CpuWait.Nanoseconds() : 0;
        try
        {
            while (!Cancelled(token) && !_settings.DrainToken.IsCancellationRequested)
            {
                var want = _sizer.Next(_source.Count - _source.Taken);
                if (budget != long.MaxValue)
                {
                    var left = budget - (_meter.Timestamp() - started);
                    if (left <= 0)
                    {
                        break;
                    }
                    // Inline, batches stay within what is left of the budget: the lanes take over from there.
                    var perItem = _sizer.SecondsPerItem * _settings.Time.TimestampFrequency;
                    want = double.IsNaN(perItem) ? 1 : (int)Math.Clamp(left / Math.Max(perItem, 1e-3), 1, want);
                }
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
                if (_ledger is { } ledger && ledger.SkipSettled(batch, _sink) is > 0 and var settled)
                {
                    _meter.Resumed(settled);
                    if (batch.Count == 0)
                    {
                        _meter.MaybeReportProgress();
                        continue;
                    }
                }
                var elapsed = await RunBatchAsync(lane, batch, token).ConfigureAwait(false);
                if (batch.Ran == batch.Count)
                {
                    _sizer.Observe(batch.Count, elapsed);
                }
                if (batch.FailedCount > 0 && _settings.Retries > 0)
                {
                    retry ??= new RetryScratch<TIn, TOut>();
                    await RetryAsync(lane, batch, retry, token).ConfigureAwait(false);
                }
                Deliver(batch, retry, token);
                _meter.MaybeReportProgress();
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
            Lane.Inside = wasInside;
            if (measureWait && Environment.CurrentManagedThreadId == thread)
            {
                _meter.AddCpuWait(TimeSpan.FromTicks((CpuWait.Nanoseconds() - waited) / 100));
            }
            if (budget == long.MaxValue)
            {
                _meter.LaneEnded();
            }
        }
    }

    private async ValueTask<long> RunBatchAsync(int lane, Batch<TIn, TOut> batch, CancellationToken token)
    {
        var t0 = _meter.Timestamp();
        batch.ItemTime = TimeSpan.Zero;
        batch.CpuWait = TimeSpan.Zero;
        _inFlight.Started(lane, batch);
        try
        {
            await _runner.RunAsync(lane, batch, token).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Ended(lane);
        }
        return _meter.BatchDone(t0, batch.Count, batch.ItemTime, batch.CpuWait);
    }

    private void Deliver(Batch<TIn, TOut> batch, RetryScratch<TIn, TOut>? retry, CancellationToken token)
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
        _ledger?.RecordValues(batch);
        _sink.DeliverValues(batch);
        _meter.Succeeded(succeeded);
    }

    private void Fail(ItemFailedException failure)
    {
        _meter.Failed();
        _ledger?.RecordFailure(failure);
        if (_settings.ErrorPolicy == ErrorPolicy.Collect)
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
    private bool Cancelled(CancellationToken token) => token.IsCancellationRequested || _settings.CallerToken.IsCancellationRequested;

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
}
