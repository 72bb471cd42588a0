namespace Parmap;

/// <summary>Options for one parallel map. Every property has a sensible default, so <c>new ParOptions()</c> is a complete configuration.</summary>
/// <remarks>Options are immutable: derive variants with <c>with { ... }</c>. They are validated when a map starts.</remarks>
public sealed partial record ParOptions
{
    /// <summary>Shared default options.</summary>
    public static ParOptions Default { get; } = new();

    /// <summary>Number of workers (threads or processes) that run items at the same time. The default is <see langword="null"/>: one per core (<see cref="Environment.ProcessorCount"/>).</summary>
    public int? Workers { get; init; }

    /// <summary>Where items run. The default is <see cref="Isolation.Threads"/>.</summary>
    public Isolation Isolation { get; init; } = Isolation.Threads;

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

    /// <summary>Run on the workers of this pool instead of starting new ones. The default is <see langword="null"/>: each call starts its workers and stops them before it returns.</summary>
    public Pool? Pool { get; init; }

    /// <summary>Clock used for progress rates and the run report. The default is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Longest time one item may run in a worker process. A stuck item's worker is killed and replaced, the item fails
    /// with <see cref="ItemTimeoutException"/> (or is retried, see <see cref="Retries"/>), and the rest of its batch goes on.
    /// The default is <see langword="null"/>: no limit.
    /// </summary>
    /// <remarks>Needs <see cref="Isolation.Processes"/>: a thread cannot be stopped safely, so with threads this option is rejected; there, pass a
    /// function that takes a <see cref="CancellationToken"/> and honour it.</remarks>
    public TimeSpan? ItemTimeout { get; init; }

    /// <summary>
    /// Restart a worker process after it has run this many items (for code that leaks). No item is lost or run twice.
    /// The default is <see langword="null"/>: workers are not restarted by count. Needs <see cref="Isolation.Processes"/>.
    /// </summary>
    public int? RecycleAfterItems { get; init; }

    /// <summary>
    /// Restart a worker process, between batches, once its resident memory exceeds this many bytes (for leaky native code).
    /// The default is <see langword="null"/>: workers are not restarted by memory. Needs <see cref="Isolation.Processes"/>.
    /// </summary>
    public long? RecycleAboveMemory { get; init; }

    /// <summary>
    /// Runs once in each worker process before its first item (load a big table once per worker). Shipped like the
    /// function; if it throws, the run stops with a <see cref="WorkerStartException"/>. With a <see cref="Pool"/>, the pool's initializer applies.
    /// The default is <see langword="null"/>: none. Needs <see cref="Isolation.Processes"/>.
    /// </summary>
    public Action? WorkerInitializer { get; init; }

    /// <summary>
    /// How long the worker processes of a <see cref="Pool"/> may stay idle before they exit (the next map starts fresh ones).
    /// The default is 5 minutes.
    /// </summary>
    public TimeSpan WorkerIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where the lines that worker processes write (standard output and standard error) go, each prefixed <c>[worker N]</c>.
    /// The default is <see langword="null"/>: this process's standard error (<see cref="Console.Error"/>).
    /// </summary>
    public TextWriter? WorkerOutput { get; init; }

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
        if (!Enum.IsDefined(Isolation))
        {
            throw new ArgumentOutOfRangeException(nameof(Isolation), Isolation, "Unknown isolation.");
        }
        if (!Enum.IsDefined(Order))
        {
            throw new ArgumentOutOfRangeException(nameof(Order), Order, "Unknown result order.");
        }
        if (!Enum.IsDefined(ErrorPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(ErrorPolicy), ErrorPolicy, "Unknown error policy.");
        }
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ValidateProcessOptions();
        ValidateJournal();
    }

    private void ValidateProcessOptions()
    {
        if (ItemTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ItemTimeout), t, "ItemTimeout must be positive, or null for no limit.");
        }
        if (RecycleAfterItems is { } n && n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RecycleAfterItems), n, "RecycleAfterItems must be at least 1, or null to not recycle by count.");
        }
        if (RecycleAboveMemory is { } m && m < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RecycleAboveMemory), m, "RecycleAboveMemory must be a positive number of bytes, or null to not recycle by memory.");
        }
        if (WorkerIdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WorkerIdleTimeout), WorkerIdleTimeout, "WorkerIdleTimeout must be positive.");
        }
        if (Isolation == Isolation.Threads)
        {
            var name = ItemTimeout is not null ? nameof(ItemTimeout)
                : RecycleAfterItems is not null ? nameof(RecycleAfterItems)
                : RecycleAboveMemory is not null ? nameof(RecycleAboveMemory)
                : WorkerInitializer is not null ? nameof(WorkerInitializer)
                : null;
            if (name is not null)
            {
                throw new ArgumentException(
                    $"{name} needs Isolation.Processes: threads share one process, so a stuck item cannot be stopped and a worker cannot be restarted. " +
                    $"Set Isolation = Isolation.Processes, or remove {name}.", name);
            }
        }
    }
}
