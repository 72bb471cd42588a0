namespace Parmap.Scheduling;

/// <summary>
/// Runs batches somewhere: threads of this process, worker processes, cluster nodes.
/// The scheduler is the same for every executor; an executor only hosts the scheduler's lanes and runs batches.
/// </summary>
internal interface IExecutor : IAsyncDisposable
{
    /// <summary>What the scheduler needs to know to drive this executor.</summary>
    ExecutorTraits Traits { get; }

    /// <summary>Runs <paramref name="lanes"/> copies of <paramref name="lane"/> (argument: lane number) concurrently and completes when all have returned.</summary>
    Task RunLanesAsync(int lanes, Func<int, ValueTask> lane);

    /// <summary>Prepares the function for this executor (e.g. ships it to workers) and returns the runner of its batches.</summary>
    ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken);
}

/// <summary>Runs batches of one function.</summary>
internal interface IBatchRunner<TIn, TOut> : IAsyncDisposable
{
    /// <summary>
    /// Runs batch.Inputs[0..Count) on the worker that serves <paramref name="lane"/> and fills, for each position,
    /// batch.Values or batch.Errors; sets batch.Ran to the number of positions run (less than Count only when
    /// <paramref name="cancellationToken"/> stopped it). Never throws for an item's failure.
    /// </summary>
    ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken);
}

/// <summary>Facts about an executor that shape scheduling.</summary>
/// <param name="Isolation">Reported in the run report.</param>
/// <param name="Workers">How many lanes can run at once.</param>
/// <param name="TargetBatchDuration">Automatic batching aims at batches of about this duration: long enough to amortize the executor's per-batch cost, short enough to balance the tail.</param>
internal sealed record ExecutorTraits(Isolation Isolation, int Workers, TimeSpan TargetBatchDuration);
