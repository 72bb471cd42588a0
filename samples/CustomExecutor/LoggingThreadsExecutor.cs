using Parmap.Executors;

namespace Parmap.Samples.CustomExecutor;

/// <summary>
/// A complete executor built on Parmap's public contract only: each lane of a run gets a dedicated thread of its own,
/// started for the run and joined at its end, and every batch is logged before it runs. Items run through
/// <see cref="LocalBatchRunner{TIn, TOut}"/>, the item loop Parmap's own executors use.
/// </summary>
public sealed class LoggingThreadsExecutor(int workers, TextWriter? log, BatchCounter counter) : IExecutor
{
    private readonly Lock _logLock = new();

    /// <inheritdoc/>
    public ExecutorInfo Info { get; } = new("logging-threads", workers, TimeSpan.FromMilliseconds(2)) { InProcess = true };

    /// <inheritdoc/>
    public Task RunLanesAsync(int lanes, Func<int, ValueTask> lane)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = lanes;
        Exception? failure = null;
        for (var k = 0; k < lanes; k++)
        {
            var index = k;
            new Thread(() =>
            {
                try
                {
                    // A lane is synchronous here: it runs on this thread until the scheduler's loop ends.
                    lane(index).AsTask().GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
                if (Interlocked.Decrement(ref running) == 0)
                {
                    if (failure is null)
                    {
                        done.SetResult();
                    }
                    else
                    {
                        done.SetException(failure);
                    }
                }
            })
            { IsBackground = true, Name = $"logging lane {k}" }.Start();
        }
        return done.Task;
    }

    /// <inheritdoc/>
    public ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken) =>
        new(new LoggingRunner<TIn, TOut>(new LocalBatchRunner<TIn, TOut>(function), this));

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Logged(int lane, int count, long first)
    {
        counter.Add(count);
        if (log is not null)
        {
            lock (_logLock)
            {
                log.WriteLine($"lane {lane} on thread {Environment.CurrentManagedThreadId}: batch of {count} from item {first}");
            }
        }
    }

    private sealed class LoggingRunner<TIn, TOut>(LocalBatchRunner<TIn, TOut> inner, LoggingThreadsExecutor executor) : IBatchRunner<TIn, TOut>
    {
        public ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
        {
            executor.Logged(lane, batch.Count, batch.Count > 0 ? batch.Indices[0] : -1);
            return inner.RunAsync(lane, batch, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
