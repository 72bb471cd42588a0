namespace Parmap.Executors;

/// <summary>
/// Runs batches somewhere: threads of this process, worker processes, the nodes of a cluster. This is the whole contract
/// an executor implements; the scheduler (batching, ordering, retries, progress, journal, report) is the same for all.
/// </summary>
/// <remarks>
/// <para>How a map uses an executor:</para>
/// <code>
///  ParOptions.Executor (an ExecutorOptions value) ──CreateExecutor(workers)──► IExecutor
///  run owner ──► executor.OpenAsync(function) ──► IBatchRunner        (ship the function, check its types)
///  scheduler ──► executor.RunLanesAsync(lanes, lane) ─┐                (host one loop per lane, concurrently)
///                  lane k: take a batch ──► runner.RunAsync(k, batch) ─► values / errors per position
///  run owner ──► runner.DisposeAsync(), executor.DisposeAsync()        (unless the executor belongs to a Pool)
/// </code>
/// <para>To add an executor: derive a record from <see cref="ExecutorOptions"/> that carries its settings and creates
/// it, implement this interface and <see cref="IBatchRunner{TIn, TOut}"/>. <see cref="LocalBatchRunner{TIn, TOut}"/>
/// runs a batch on the calling thread; executors that run elsewhere use the shared remote layer (function shipping,
/// codec, remote errors, crash recovery). <c>samples/CustomExecutor</c> is a complete executor written outside Parmap.</para>
/// </remarks>
public interface IExecutor : IAsyncDisposable
{
    /// <summary>What the scheduler needs to know to drive this executor.</summary>
    ExecutorInfo Info { get; }

    /// <summary>
    /// Runs <paramref name="lanes"/> copies of <paramref name="lane"/> (its argument: the lane number, 0 to lanes - 1)
    /// concurrently, and completes when all of them have returned. A lane that throws ends the run with that exception.
    /// </summary>
    /// <param name="lanes">How many lanes to run: at least 1, at most <see cref="ExecutorInfo.Workers"/>.</param>
    /// <param name="lane">The scheduler's loop for one lane.</param>
    Task RunLanesAsync(int lanes, Func<int, ValueTask> lane);

    /// <summary>
    /// Prepares <paramref name="function"/> for this executor (for example ships it to the workers) and returns the runner
    /// of its batches. Throws, before any item runs, when the function or its types cannot run here.
    /// </summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="function">The user's function in one uniform shape.</param>
    /// <param name="cancellationToken">The run's token.</param>
    ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken);
}
