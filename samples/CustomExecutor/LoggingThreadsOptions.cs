using Parmap.Executors;

namespace Parmap.Samples.CustomExecutor;

/// <summary>
/// The options of the sample executor, and what makes it selectable like any other:
/// <c>new ParOptions { Executor = new LoggingThreadsOptions { Log = Console.Out } }</c>.
/// </summary>
public sealed record LoggingThreadsOptions : ExecutorOptions
{
    /// <summary>Where each batch is logged. The default is <see langword="null"/>: batches are only counted.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Counts the batches and items the executors made from these options ran (shared by all of them).</summary>
    public BatchCounter Counter { get; init; } = new();

    /// <inheritdoc/>
    public override string Name => "logging-threads";

    /// <inheritdoc/>
    public override bool InProcess => true;

    /// <inheritdoc/>
    public override IExecutor CreateExecutor(int workers) => new LoggingThreadsExecutor(workers, Log, Counter);
}

/// <summary>How many batches and items ran.</summary>
public sealed class BatchCounter
{
    private long _batches;
    private long _items;

    public long Batches => Interlocked.Read(ref _batches);

    public long Items => Interlocked.Read(ref _items);

    internal void Add(int items)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, items);
    }
}
