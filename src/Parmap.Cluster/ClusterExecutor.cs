using Parmap.Executors;
using Parmap.Shipping;

namespace Parmap.Cluster;

/// <summary>
/// The executor of one map on the cluster: lanes are asynchronous loops of this process (twice the nodes' cores, so
/// that a node always has its next batch queued and a node that joins during the map finds work); each lane's batch
/// goes to the driver's <see cref="Dispatcher"/>, which sends it to a node with a free core.
/// </summary>
internal sealed class ClusterExecutor(ClusterDriver driver, int credits) : IExecutor, IItemsByWorker
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _itemsByNode = new();
    private static long s_lastBatchId;

    public ExecutorInfo Info { get; } = new("cluster", Math.Max(2, 2 * credits), TimeSpan.FromMilliseconds(100));

    public ClusterDriver Driver => driver;

    public IReadOnlyDictionary<string, long> ItemsByWorker => _itemsByNode.ToDictionary();

    /// <summary>Counts <paramref name="items"/> run by <paramref name="node"/> in this map.</summary>
    public void Count(string node, int items) => _itemsByNode.AddOrUpdate(node, items, (_, n) => n + items);

    public static long NextBatchId() => Interlocked.Increment(ref s_lastBatchId);

    public async Task RunLanesAsync(int lanes, Func<int, ValueTask> lane)
    {
        var tasks = new Task[lanes];
        for (var k = 0; k < lanes; k++)
        {
            var id = k;
            tasks[k] = Task.Run(async () => await lane(id).ConfigureAwait(false));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    public ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken)
    {
        // Everything that can refuse the function or its types runs before any batch is sent.
        var shipped = ShippedFunction.Create(function);
        cancellationToken.ThrowIfCancellationRequested();
        return new(new ClusterBatchRunner<TIn, TOut>(this, shipped));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the driver and its nodes serve later maps
}
