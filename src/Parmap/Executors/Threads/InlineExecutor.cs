using Parmap.Scheduling;

namespace Parmap.Executors.Threads;

/// <summary>
/// One lane on the calling thread. Used for a map nested inside another map's function: the outer map already
/// keeps every core busy, so the inner one runs serially where it is called instead of starting more threads
/// (no oversubscription, and no deadlock waiting for workers that are all busy running the outer map).
/// </summary>
internal sealed class InlineExecutor : IExecutor
{
    public ExecutorInfo Info { get; } = new("inline", 1, TimeSpan.FromMilliseconds(2));

    public async Task RunLanesAsync(int lanes, Func<int, ValueTask> lane)
    {
        for (var k = 0; k < lanes; k++)
        {
            await lane(k).ConfigureAwait(false);
        }
    }

    public ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken) =>
        new(new LocalBatchRunner<TIn, TOut>(function));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
