using System.Runtime.CompilerServices;

using Parmap.Journaling;
using Parmap.Scheduling;

namespace Parmap;

/// <summary>
/// Runs a function over many inputs on every core: <c>double[] ys = await Par.Map(xs, x => Model(x));</c>
/// Results come back in input order; failures name the failing input; every run leaves a <see cref="LastReport"/>
/// that says whether parallelism paid.
/// </summary>
/// <remarks>
/// <para>The function may be synchronous or asynchronous (<see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/>)
/// and may take the run's <see cref="CancellationToken"/>.</para>
/// <para>Nesting: a map called from inside another map's function runs serially on the calling worker. The outer map
/// already keeps every core busy, so this neither oversubscribes the machine nor deadlocks.</para>
/// </remarks>
public static partial class Par
{
    private static readonly AsyncLocal<bool> s_insideWorker = new();
    private static RunReport? s_lastReport;

    /// <summary>The report of the most recently finished run in this process (any thread), or <see langword="null"/> before the first.</summary>
    /// <remarks>For the report of one particular run use <c>MapOutcomes</c>, whose result carries its own report.</remarks>
    public static RunReport? LastReport => Volatile.Read(ref s_lastReport);

    internal static bool InsideWorker
    {
        get => s_insideWorker.Value;
        set => s_insideWorker.Value = value;
    }

    internal static void SetLastReport(RunReport report) => Volatile.Write(ref s_lastReport, report);

    private static async Task<TOut[]> MapCore<TIn, TOut>(IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, CancellationToken cancellationToken)
    {
        var run = await RunToEndAsync(inputs, function, options, cancellationToken).ConfigureAwait(false);
        if (run.Failures.Count > 0)
        {
            throw new ItemsFailedException(run.Failures, run.Values.Length);
        }
        return run.Values;
    }

    private static async Task<MapResult<TOut>> MapOutcomesCore<TIn, TOut>(IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, CancellationToken cancellationToken)
    {
        var run = await RunToEndAsync(inputs, function, (options ?? ParOptions.Default) with { ErrorPolicy = ErrorPolicy.Collect }, cancellationToken).ConfigureAwait(false);
        var outcomes = new Outcome<TOut>[run.Values.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] = new Outcome<TOut>(i, run.Values[i], null);
        }
        foreach (var failure in run.Failures)
        {
            outcomes[failure.Index] = new Outcome<TOut>(failure.Index, default!, failure);
        }
        return new MapResult<TOut>(outcomes, run.Failures, run.Report);
    }

    /// <summary>The checks every entry point makes before anything starts: arguments, options, an already cancelled token.</summary>
    private static ParOptions Prepare<TIn>(IEnumerable<TIn> inputs, ParOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= ParOptions.Default;
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        return options;
    }

    private static async Task<(TOut[] Values, IReadOnlyList<ItemFailedException> Failures, RunReport Report)> RunToEndAsync<TIn, TOut>(
        IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, CancellationToken cancellationToken, Grid? grid = null)
    {
        options = Prepare(inputs, options, cancellationToken);
        using var journal = options.Journal is null ? null : JournalSession<TIn, TOut>.Start(options, ref inputs, function, grid);
        var source = InputSource<TIn>.Create(inputs);
        var sink = new ArraySink<TIn, TOut>(source.Count);
        var lease = ExecutorLease.Acquire(options, source.Count);
        await using (lease.ConfigureAwait(false))
        {
            var runner = await lease.Executor.OpenAsync(function, cancellationToken).ConfigureAwait(false);
            await using (runner.ConfigureAwait(false))
            {
                var scheduler = new Scheduler<TIn, TOut>(source, runner, sink, lease.Executor.Traits, options, MaxBatch, cancellationToken, journal?.HardStop ?? default)
                {
                    Ledger = journal,
                    Drain = journal?.Drain ?? default,
                };
                var report = await RunJournaledAsync(scheduler, lease.Executor, journal).ConfigureAwait(false);
                return (sink.Values(source.Taken), sink.Failures(), report);
            }
        }
    }

    /// <summary>Runs the scheduler; with a journal, commits what finished and records the outcome whatever happens.</summary>
    private static async Task<RunReport> RunJournaledAsync<TIn, TOut>(Scheduler<TIn, TOut> scheduler, Scheduling.IExecutor executor, JournalSession<TIn, TOut>? journal)
    {
        if (journal is null)
        {
            return await scheduler.RunAsync(executor).ConfigureAwait(false);
        }
        RunReport report;
        try
        {
            report = await scheduler.RunAsync(executor).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            journal.Stop(e);
            throw;
        }
        return journal.Finish(report);
    }

    private static async IAsyncEnumerable<Outcome<TOut>> StreamCore<TIn, TOut>(
        IEnumerable<TIn> inputs, WorkFunction<TIn, TOut> function, ParOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options = Prepare(inputs, options, cancellationToken);
        using var journal = options.Journal is null ? null : JournalSession<TIn, TOut>.Start(options, ref inputs, function);
        var source = InputSource<TIn>.Create(inputs);
        var lease = ExecutorLease.Acquire(options, source.Count);
        await using (lease.ConfigureAwait(false))
        {
            var workers = lease.Executor.Traits.Workers;
            var window = options.ResolveMaxInFlight(workers);
            var sink = new StreamSink<TIn, TOut>(options.Order == ResultOrder.Input, window);
            var runner = await lease.Executor.OpenAsync(function, cancellationToken).ConfigureAwait(false);
            await using (runner.ConfigureAwait(false))
            {
                using var readerLeft = new CancellationTokenSource();
                using var hardStop = journal?.HardStop.Register(readerLeft.Cancel);
                var maxBatch = Math.Max(1, window / (2 * workers));
                var scheduler = new Scheduler<TIn, TOut>(source, runner, sink, lease.Executor.Traits, options, maxBatch, cancellationToken, readerLeft.Token)
                {
                    Ledger = journal,
                    Drain = journal?.Drain ?? default,
                };
                var run = RunIntoAsync(scheduler, lease.Executor, sink, journal);
                var chunk = new List<Outcome<TOut>>();
                try
                {
                    while (await sink.ReadAsync(chunk, cancellationToken).ConfigureAwait(false))
                    {
                        foreach (var outcome in chunk)
                        {
                            yield return outcome;
                        }
                        sink.Release(chunk.Count);
                    }
                }
                finally
                {
                    // The reader stopped (finished, broke out, or threw): stop the run and wait until nothing is left running.
                    await readerLeft.CancelAsync().ConfigureAwait(false);
                    await run.ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task RunIntoAsync<TIn, TOut>(Scheduler<TIn, TOut> scheduler, Scheduling.IExecutor executor, StreamSink<TIn, TOut> sink, JournalSession<TIn, TOut>? journal)
    {
        try
        {
            await RunJournaledAsync(scheduler, executor, journal).ConfigureAwait(false);
            sink.Complete(null);
        }
        catch (Exception e)
        {
            sink.Complete(e);
        }
    }

    private static async IAsyncEnumerable<TOut> ValuesOf<TOut>(IAsyncEnumerable<Outcome<TOut>> outcomes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ItemFailedException>? failures = null;
        long count = 0;
        await foreach (var outcome in outcomes.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (outcome.Error is null)
            {
                yield return outcome.Value;
            }
            else
            {
                (failures ??= []).Add(outcome.Error);
            }
        }
        if (failures is not null)
        {
            throw new ItemsFailedException([.. failures.OrderBy(f => f.Index)], count);
        }
    }

    /// <summary>Largest batch for array results: bounds the per-lane buffers.</summary>
    private const int MaxBatch = 1 << 16;
}
