namespace Parmap.Scheduling;

/// <summary>Everything one scheduler run needs besides its input, runner and sink: read from the map's options once.</summary>
internal sealed record SchedulerSettings
{
    /// <summary>Lanes to run (at least 1, at most the executor's workers).</summary>
    public required int Lanes { get; init; }

    /// <summary>Fixed batch size, or null for automatic batching.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Automatic batching aims at batches of about this duration (the executor's).</summary>
    public required TimeSpan TargetBatchDuration { get; init; }

    /// <summary>Largest batch (bounds per-lane buffers, and the items in flight of a stream).</summary>
    public required int MaxBatch { get; init; }

    /// <summary>Named in the report.</summary>
    public required string ExecutorName { get; init; }

    /// <summary>Seconds per item measured by an earlier run of the same function on this executor: the first batches start at the size it implies. The default is null: batches start at one item.</summary>
    public double? InitialSecondsPerItem { get; init; }

    /// <summary>
    /// Up to this much of the map runs on the calling thread first, while its items are measured; when the whole input
    /// is done within it, the map was too small to split and no lane starts. Zero (the default) for executors whose
    /// runner must not run on the caller's thread, and for asynchronous functions.
    /// </summary>
    public TimeSpan InlineBudget { get; init; }

    /// <summary>True when lanes run items on their own threads in this process: each lane then measures how long its thread waited for a CPU.</summary>
    public bool MeasureLaneCpuWait { get; init; }

    public int Retries { get; init; }

    public Func<Exception, bool>? RetryOn { get; init; }

    public ErrorPolicy ErrorPolicy { get; init; }

    public IProgress<ProgressInfo>? Progress { get; init; }

    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The caller's token: its cancellation ends the run with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CallerToken { get; init; }

    /// <summary>Stops the run like the caller's token does, without the run counting as cancelled (a stream's reader left, a second Ctrl-C).</summary>
    public CancellationToken StopToken { get; init; }

    /// <summary>Stops taking new items when cancelled, but lets the batches already taken run to their end (a graceful stop).</summary>
    public CancellationToken DrainToken { get; init; }
}
