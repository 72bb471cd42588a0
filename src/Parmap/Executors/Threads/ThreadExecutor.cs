using Parmap.Scheduling;

namespace Parmap.Executors.Threads;

/// <summary>
/// Runs lanes on dedicated threads of this process, one per worker. Dedicated threads (not the thread pool) so that
/// user code that blocks cannot starve the map: the pool injects about one thread per second when all of its threads block.
/// The threads live as long as the executor and wait for the next run in between (for <see cref="Pool"/>).
/// </summary>
internal sealed class ThreadExecutor : IExecutor
{
    private static readonly TimeSpan s_targetBatch = TimeSpan.FromMilliseconds(2);
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _go;
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);
    private Func<int, ValueTask>? _lane;
    private int _running;
    private TaskCompletionSource? _done;
    private Exception? _error;
    private volatile bool _disposed;

    public ThreadExecutor(int workers)
    {
        Info = new ExecutorInfo(ThreadOptions.Default.Name, workers, s_targetBatch);
        _threads = new Thread[workers];
        _go = new SemaphoreSlim[workers];
        for (var k = 0; k < workers; k++)
        {
            _go[k] = new SemaphoreSlim(0, 1);
            var lane = k;
            // Do not flow the creator's ExecutionContext: the threads outlive this call (pools).
            using (ExecutionContext.SuppressFlow())
            {
                _threads[k] = new Thread(() => Loop(lane)) { IsBackground = true, Name = $"Parmap worker {k}" };
                _threads[k].Start();
            }
        }
    }

    public ExecutorInfo Info { get; }

    public async Task RunLanesAsync(int lanes, Func<int, ValueTask> lane)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, _threads.Length);
        await _oneRunAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            _lane = lane;
            _error = null;
            _running = lanes;
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            for (var k = 0; k < lanes; k++)
            {
                _go[k].Release();
            }
            await _done.Task.ConfigureAwait(false);
            if (_error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
            }
        }
        finally
        {
            _lane = null;
            _oneRunAtATime.Release();
        }
    }

    public ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken) =>
        new(new LocalBatchRunner<TIn, TOut>(function));

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }
        _disposed = true;
        foreach (var go in _go)
        {
            go.Release();
        }
        foreach (var thread in _threads)
        {
            if (thread != Thread.CurrentThread)
            {
                thread.Join();
            }
        }
        foreach (var go in _go)
        {
            go.Dispose();
        }
        _oneRunAtATime.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Loop(int k)
    {
        Lane.MarkDedicatedThread();
        while (true)
        {
            _go[k].Wait();
            if (_disposed)
            {
                return;
            }
            try
            {
                var run = _lane!(k);
                if (!run.IsCompletedSuccessfully)
                {
                    run.AsTask().GetAwaiter().GetResult();
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _done!.TrySetResult();
            }
        }
    }
}
