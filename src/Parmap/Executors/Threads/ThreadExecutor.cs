using System.Runtime.ExceptionServices;

namespace Parmap.Executors.Threads;

/// <summary>
/// Runs lanes on dedicated threads of this process, one per lane: threads parked between runs (<see cref="LaneThreads"/>),
/// not the thread pool, so that user code that blocks cannot starve the map (the pool injects about one thread per
/// second when all of its threads block). Items run in this process, so the scheduler may also run a map's first items
/// on the calling thread (<see cref="ExecutorInfo.InProcess"/>).
/// </summary>
internal sealed class ThreadExecutor(int workers) : IExecutor
{
    private static readonly TimeSpan s_targetBatch = TimeSpan.FromMilliseconds(2);
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);
    private volatile bool _disposed;

    public ExecutorInfo Info { get; } = new(ThreadOptions.Default.Name, workers, s_targetBatch) { InProcess = true };

    public async Task RunLanesAsync(int lanes, Func<int, ValueTask> lane)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, Info.Workers);
        await _oneRunAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = lanes;
            Exception? error = null;
            for (var k = 0; k < lanes; k++)
            {
                var index = k;
                LaneThreads.Run(() =>
                {
                    try
                    {
                        var run = lane(index);
                        if (!run.IsCompletedSuccessfully)
                        {
                            run.AsTask().GetAwaiter().GetResult();
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref error, e, null);
                    }
                    if (Interlocked.Decrement(ref running) == 0)
                    {
                        done.TrySetResult();
                    }
                });
            }
            await done.Task.ConfigureAwait(false);
            if (error is not null)
            {
                ExceptionDispatchInfo.Throw(error);
            }
        }
        finally
        {
            _oneRunAtATime.Release();
        }
    }

    public ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken) =>
        new(new LocalBatchRunner<TIn, TOut>(function));

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }
}
