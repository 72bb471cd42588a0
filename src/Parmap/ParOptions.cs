namespace Parmap;

/// <summary>Options for one parallel map. Every property has a sensible default, so <c>new ParOptions()</c> is a complete configuration.</summary>
/// <remarks>Options are immutable: derive variants with <c>with { ... }</c>. They are validated when a map starts.</remarks>
public sealed partial record ParOptions
{
    /// <summary>Shared default options.</summary>
    public static ParOptions Default { get; } = new();

    /// <summary>Number of workers (threads, processes, ...) that run items at the same time. The default is <see langword="null"/>: one per core (<see cref="Environment.ProcessorCount"/>), or all of a pool's workers.</summary>
    public int? Workers { get; init; }

    /// <summary>
    /// Where items run: <see cref="ExecutorOptions.Threads"/> (the default: dedicated threads of this process),
    /// <see cref="ExecutorOptions.Processes"/> or a <see cref="ProcessOptions"/> with its settings (worker processes), the
    /// options of a <see cref="Pool"/> (<see cref="Pool.Executor"/>), or another executor's options (the cluster's).
    /// </summary>
    public ExecutorOptions Executor { get; init; } = ExecutorOptions.Threads;

    /// <summary>Items per batch. The default is <see langword="null"/>: measured automatically, growing batches toward a target duration and shrinking them at the tail so that all workers finish together.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Order in which streamed results are yielded. The default is <see cref="ResultOrder.Input"/>. Array results are always in input order.</summary>
    public ResultOrder Order { get; init; } = ResultOrder.Input;

    /// <summary>What a failing item does to the run. The default is <see cref="ErrorPolicy.Stop"/>.</summary>
    public ErrorPolicy ErrorPolicy { get; init; } = ErrorPolicy.Stop;

    /// <summary>How many times a failing item is tried again before it counts as failed. The default is 0.</summary>
    public int Retries { get; init; }

    /// <summary>Which exceptions are worth a retry. The default is <see langword="null"/>: every exception except cancellation.</summary>
    public Func<Exception, bool>? RetryOn { get; init; }

    /// <summary>Receives progress updates (at most every <see cref="ProgressInterval"/>, plus one final update). The default is <see langword="null"/>: no progress.</summary>
    public IProgress<ProgressInfo>? Progress { get; init; }

    /// <summary>Minimum time between two progress updates. The default is 100 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>For streams: how many items may be taken from the input but not yet consumed by the reader. Bounds memory for endless inputs. The default is <see langword="null"/>: 64 items per worker, at least 1,024.</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>Clock used for progress rates and the run report. The default is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Whether the run handles Ctrl-C (SIGINT) and SIGTERM: the first one stops taking new items, lets the running ones
    /// finish (up to <see cref="InterruptGracePeriod"/>), saves everything a journal holds and throws
    /// <see cref="RunInterruptedException"/> (which says how to resume a journaled run); a second one ends the process at once.
    /// The default is <see langword="null"/>: journaled runs handle them, other runs leave them to the process (Ctrl-C ends it).
    /// </summary>
    public bool? HandleInterrupts { get; init; }

    /// <summary>After a first Ctrl-C or SIGTERM, how long running items may take to finish before the run's cancellation token is cancelled. The default is 10 seconds.</summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    internal int ResolveWorkers() => Workers ?? Environment.ProcessorCount;

    internal int ResolveMaxInFlight(int workers) => MaxInFlight ?? Math.Max(1024, 64 * workers);

    /// <summary>Checks every property and throws the BCL argument exception that names the first bad one.</summary>
    internal void Validate()
    {
        if (Workers is { } w && w < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), w, "Workers must be at least 1, or null for one worker per core.");
        }
        if (BatchSize is { } b && b < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), b, "BatchSize must be at least 1, or null for automatic batching.");
        }
        if (Retries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "Retries must be 0 or more.");
        }
        if (MaxInFlight is { } m && m < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInFlight), m, "MaxInFlight must be at least 1, or null for the automatic bound.");
        }
        if (ProgressInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "ProgressInterval must not be negative.");
        }
        if (!Enum.IsDefined(Order))
        {
            throw new ArgumentOutOfRangeException(nameof(Order), Order, "Unknown result order.");
        }
        if (!Enum.IsDefined(ErrorPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorPolicy), ErrorPolicy, "Unknown error policy.");
        }
        if (InterruptGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InterruptGracePeriod), InterruptGracePeriod, "InterruptGracePeriod must not be negative.");
        }
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(Executor, nameof(Executor));
        Executor.Validate();
        ValidateJournal();
    }
}
