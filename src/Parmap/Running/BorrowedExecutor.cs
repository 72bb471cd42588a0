using Parmap.Executors;

namespace Parmap.Running;

/// <summary>A pool's executor lent to one map: everything passes through, except that disposing it leaves the pool's workers running.</summary>
internal sealed class BorrowedExecutor(IExecutor executor) : IExecutor
{
    public ExecutorInfo Info => executor.Info;

    public Task RunLanesAsync(int lanes, Func<int, ValueTask> lane) => executor.RunLanesAsync(lanes, lane);

    public ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken) =>
        executor.OpenAsync(function, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
