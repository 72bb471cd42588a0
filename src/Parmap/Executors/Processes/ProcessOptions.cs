using Parmap.Executors;
using Parmap.Executors.Processes;

namespace Parmap;

/// <summary>
/// Run items in worker processes: this application relaunched in worker mode, one process per worker. For code that
/// crashes, leaks, holds global state, is not thread-safe, or calls native libraries. A crashing item fails alone;
/// workers never outlive the owner. Inputs and results travel as MessagePack.
/// </summary>
public sealed record ProcessOptions : ExecutorOptions
{
    /// <summary>Worker processes with the default settings.</summary>
    public static ProcessOptions Default { get; } = new();

    /// <inheritdoc/>
    public override string Name => "processes";

    /// <summary>
    /// Longest time one item may run. A stuck item's worker is killed and replaced, the item fails with
    /// <see cref="ItemTimeoutException"/> (or is retried, see <see cref="ParOptions.Retries"/>), and the rest of its batch
    /// goes on. The default is <see langword="null"/>: no limit.
    /// </summary>
    public TimeSpan? ItemTimeout { get; init; }

    /// <summary>
    /// Restart a worker after it has run this many items (for code that leaks). No item is lost or run twice.
    /// The default is <see langword="null"/>: workers are not restarted by count.
    /// </summary>
    public int? RecycleAfterItems { get; init; }

    /// <summary>
    /// Restart a worker, between batches, once its resident memory exceeds this many bytes (for leaky native code).
    /// The default is <see langword="null"/>: workers are not restarted by memory.
    /// </summary>
    public long? RecycleAboveMemory { get; init; }

    /// <summary>
    /// Runs once in each worker process before its first item (load a big table once per worker). Shipped like the
    /// function; if it throws, the run stops with a <see cref="WorkerStartException"/>.
    /// The default is <see langword="null"/>: none.
    /// </summary>
    public Action? WorkerInitializer { get; init; }

    /// <summary>
    /// Whether the function may read mutable static fields of your code that neither it nor <see cref="WorkerInitializer"/>
    /// writes. Each worker process has its own copy of every static field, which never sees a value this process stored
    /// (in <c>Main</c>, say), so by default such a function is refused before any worker starts, naming the field: copy
    /// the value into a local variable the lambda captures instead. Set this when the workers get the same value by
    /// themselves (a static initializer that reads the environment or a file). The default is <see langword="false"/>.
    /// </summary>
    public bool AllowMutableStaticReads { get; init; }

    /// <summary>
    /// Whether workers are kept warm between maps: when a map ends, its workers wait (at most <see cref="WorkerIdleTimeout"/>)
    /// for the next map started with the same settings, which then skips starting processes (~0.1-0.2 s per worker) and
    /// runs on code the workers have already compiled. Idle workers still never outlive this process. The default is
    /// <see langword="true"/>; with <see langword="false"/> every map starts its workers and stops them before it returns.
    /// </summary>
    /// <remarks>A reused worker keeps what earlier maps left in its static fields, as a <see cref="Pool"/>'s workers do.</remarks>
    public bool ReuseWorkers { get; init; } = true;

    /// <summary>
    /// How long a worker may stay idle before it exits: between the maps of a <see cref="Pool"/>, or waiting for the next map
    /// when <see cref="ReuseWorkers"/> is on. The default is 5 minutes.
    /// </summary>
    public TimeSpan WorkerIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where the lines that worker processes write (standard output and standard error) go, each prefixed <c>[worker N]</c>.
    /// The default is <see langword="null"/>: this process's standard error (<see cref="Console.Error"/>).
    /// </summary>
    public TextWriter? WorkerOutput { get; init; }

    /// <inheritdoc/>
    public override IExecutor CreateExecutor(int workers)
    {
        Validate();
        return new ProcessExecutor(this, workers);
    }

    /// <summary>Stops every worker kept warm between maps (<see cref="ReuseWorkers"/>) now; the next map starts fresh ones.</summary>
    /// <returns>Completes once they have exited.</returns>
    public static Task StopIdleWorkersAsync() => WorkerPark.StopAllAsync();

    internal override ExecutorOptions ForPool() => this with { ReuseWorkers = false };

    /// <inheritdoc/>
    public override void Validate()
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
    }
}
