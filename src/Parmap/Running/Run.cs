using Parmap.Executors;
using Parmap.Executors.Threads;
using Parmap.Journaling;
using Parmap.Scheduling;

namespace Parmap.Running;

/// <summary>
/// The one owner of a run, whatever the entry point (map, outcomes, stream, grid, Monte Carlo). It builds the pipeline
/// and takes it down in one place:
/// <code>
///  StartAsync:  checks ─► GracefulStop (Ctrl-C) ─► JournalSession (skip settled, record) ─► InputSource
///               ─► executor (options.Executor, or inline when nested) ─► runner = executor.OpenAsync(function)
///  ExecuteAsync(sink): Scheduler(source, runner, sink, journal, settings).RunAsync(executor) ─► journal.Finish ─► report
///  DisposeAsync: runner, executor, journal, stop
/// </code>
/// </summary>
internal sealed class Run<TIn, TOut> : IAsyncDisposable
{
    /// <summary>How much of a map may run on the calling thread before lanes start: about what waking the lanes costs.</summary>
    private static readonly TimeSpan InlineBudget = TimeSpan.FromMilliseconds(0.1);

    private readonly RunRequest<TIn, TOut> _request;
    private readonly GracefulStop _stop;
    private readonly JournalSession<TIn, TOut>? _journal;
    private readonly IExecutor _executor;
    private readonly IBatchRunner<TIn, TOut> _runner;

    private Run(RunRequest<TIn, TOut> request, GracefulStop stop, JournalSession<TIn, TOut>? journal, InputSource<TIn> source, IExecutor executor, IBatchRunner<TIn, TOut> runner)
    {
        _request = request;
        _stop = stop;
        _journal = journal;
        Source = source;
        _executor = executor;
        _runner = runner;
        var workers = Math.Min(request.Options.Workers ?? executor.Info.Workers, executor.Info.Workers);
        Lanes = source.Count is { } count ? (int)Math.Clamp(count, 1, workers) : workers;
    }

    public InputSource<TIn> Source { get; }

    /// <summary>Lanes the run uses: the workers asked for, at most the executor's, at most one per input.</summary>
    public int Lanes { get; }

    /// <summary>Checks the request and builds the pipeline; nothing runs yet. Whatever fails here fails before any item runs.</summary>
    public static async Task<Run<TIn, TOut>> StartAsync(RunRequest<TIn, TOut> request)
    {
        ArgumentNullException.ThrowIfNull(request.Inputs);
        request.Options.Validate();
        request.CancellationToken.ThrowIfCancellationRequested();
        GracefulStop? stop = null;
        JournalSession<TIn, TOut>? journal = null;
        InputSource<TIn>? source = null;
        IExecutor? executor = null;
        try
        {
            stop = new GracefulStop(request.Options);
            journal = request.Options.Journal is null ? null : JournalSession<TIn, TOut>.Start(request.Options, request.Inputs, request.Function, request.UserMethod, request.Grid, stop);
            source = InputSource<TIn>.Create(journal?.Inputs ?? request.Inputs);
            executor = SelectExecutor(request.Options, source.Count);
            var runner = await executor.OpenAsync(request.Function, request.CancellationToken).ConfigureAwait(false);
            return new Run<TIn, TOut>(request, stop, journal, source, executor, runner);
        }
        catch
        {
            source?.Dispose();
            if (executor is not null)
            {
                await executor.DisposeAsync().ConfigureAwait(false);
            }
            journal?.Dispose();
            stop?.Dispose();
            throw;
        }
    }

    /// <summary>Runs the scheduler into <paramref name="sink"/> and closes the journal with the outcome; throws the run's failure.</summary>
    /// <param name="sink">Where results go.</param>
    /// <param name="maxBatch">Largest batch.</param>
    /// <param name="stop">Stops the run without it counting as cancelled (a stream's reader left).</param>
    public async Task<RunReport> ExecuteAsync(ResultSink<TIn, TOut> sink, int maxBatch, CancellationToken stop = default)
    {
        var options = _request.Options;
        var info = _executor.Info;
        var key = _request.UserMethod ?? _request.Function.Original.Method;
        var remembered = ItemCosts.BatchSecondsPerItem(key, info.Name);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop, _stop.HardStop);
        var settings = new SchedulerSettings
        {
            Lanes = Lanes,
            BatchSize = options.BatchSize,
            TargetBatchDuration = info.TargetBatchDuration,
            MaxBatch = maxBatch,
            ExecutorName = info.Name,
            InitialSecondsPerItem = remembered,
            InlineBudget = TooSmallToSplit(remembered, info) ? InlineBudget : TimeSpan.Zero,
            MeasureLaneCpuWait = info.InProcess && _request.Function.Sync is not null,
            Retries = options.Retries,
            RetryOn = options.RetryOn,
            ErrorPolicy = options.ErrorPolicy,
            Progress = options.Progress,
            ProgressInterval = options.ProgressInterval,
            Time = options.TimeProvider,
            CallerToken = _request.CancellationToken,
            StopToken = stopping.Token,
            DrainToken = _stop.Drain,
        };
        var scheduler = new Scheduler<TIn, TOut>(Source, _runner, sink, _journal, settings);
        RunReport report;
        try
        {
            report = await scheduler.RunAsync(_executor).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _stop.End();
            _journal?.Stop(e);
            throw;
        }
        finally
        {
            if (scheduler.Report is { } last)
            {
                LastReport.Set(last);
            }
        }
        _stop.End();
        ItemCosts.RememberBatch(key, info.Name, scheduler.SecondsPerItem);
        report = WithSerialBaseline(report, scheduler.ItemTimePerItem, key, info);
        if (_executor is IItemsByWorker workers)
        {
            report = report with { ItemsByWorker = workers.ItemsByWorker };
        }
        LastReport.Set(report);
        report = _journal?.Finish(report, _stop.Signal, Source.Exhausted) ?? report;
        if (_stop.Interrupted(report) is { } interrupted)
        {
            throw interrupted;
        }
        return report;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _runner.DisposeAsync().ConfigureAwait(false);
            await _executor.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Source.Dispose();
            _journal?.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>
    /// Whether the map is clearly too small to split: an earlier run of the same function measured its items, and all of
    /// them together take less than waking the lanes would cost (a map called in a loop: time steps, optimizer
    /// iterations). It then runs on the calling thread; the items are measured as they run, and should they take longer
    /// than that this time, the lanes take over the rest. Only for synchronous functions on an executor whose runner may
    /// run on the caller's thread: an item that blocks (or waits for other items) never holds up the lanes otherwise.
    /// </summary>
    private bool TooSmallToSplit(double? secondsPerItem, ExecutorInfo info) =>
        info.InProcess && _request.Function.Sync is not null && Lanes > 1 && secondsPerItem is { } perItem
        && Source.Count is { } count && perItem * count <= InlineBudget.TotalSeconds;

    /// <summary>
    /// Adds the serial baseline the run has, if any, to its report (see <see cref="RunReport.Speedup"/>): a per-item time
    /// measured in this process with the items running alone, by <c>Par.Advise</c> or by an earlier run that ran them one
    /// at a time (inline on the calling thread, or on one worker thread). Items that ran side by side are no baseline:
    /// they can be slower than alone (cores sharing caches, memory bandwidth or a physical core), and a speedup computed
    /// from them would flatter. Runs that ran items alone in this process record their cost for later runs.
    /// </summary>
    private static RunReport WithSerialBaseline(RunReport report, TimeSpan? itemTimePerItem, System.Reflection.MethodInfo key, ExecutorInfo info)
    {
        var items = report.Succeeded + report.Failed + report.Retried;
        if (items == 0)
        {
            return report;
        }
        if (info.InProcess && report.Workers == 1 && report.ItemTime > TimeSpan.Zero && itemTimePerItem is { } perItem)
        {
            // Past the run's warm-up (a process's first map of a function runs its first items at the JIT's quick tier),
            // less the share of item time spent waiting for a CPU.
            var alone = perItem.TotalSeconds * (1 - (report.CpuWait / report.ItemTime));
            ItemCosts.RememberSerial(key, alone, report.RanInline
                ? "per-item time of an earlier map of this function that ran inline in this process"
                : "per-item time of an earlier map of this function on one worker thread in this process");
        }
        if (report.RanInline)
        {
            return report;
        }
        if (ItemCosts.SerialSecondsPerItem(key) is { } cost)
        {
            return report with
            {
                SerialEstimate = TimeSpan.FromSeconds(cost.Seconds * items),
                SerialBasis = FormattableString.Invariant($"{cost.Seconds * 1e6:N1} us per item, {cost.Basis}"),
            };
        }
        return report;
    }

    /// <summary>
    /// A map started inside another map's lane (nested) runs inline on the calling worker: the outer map already keeps
    /// every core busy, and a pool's map must not wait for the pool that is running it.
    /// </summary>
    private static IExecutor SelectExecutor(ParOptions options, long? count)
    {
        if (Lane.Inside)
        {
            return new InlineExecutor();
        }
        var workers = options.ResolveWorkers();
        if (count is { } c)
        {
            workers = (int)Math.Clamp(c, 1, workers);
        }
        return options.Executor.CreateExecutor(workers);
    }
}
