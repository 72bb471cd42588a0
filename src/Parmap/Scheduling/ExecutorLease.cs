using Parmap.Executors.Processes;
using Parmap.Executors.Threads;

namespace Parmap.Scheduling;

/// <summary>The executor for one run: the pool's (borrowed), an inline one for nested maps, or a fresh one owned by the run.</summary>
internal readonly struct ExecutorLease(IExecutor executor, bool owned) : IAsyncDisposable
{
    public IExecutor Executor => executor;

    public static ExecutorLease Acquire(ParOptions options, long? count)
    {
        // Nested first: a map inside a pool's function must not wait for the pool that is running it.
        if (Par.InsideWorker)
        {
            return new(new InlineExecutor(), owned: true);
        }
        if (options.Pool is { } pool)
        {
            return new(pool.Executor, owned: false);
        }
        var workers = options.ResolveWorkers();
        if (count is { } c)
        {
            workers = (int)Math.Clamp(c, 1, workers);
        }
        return new(Create(options, workers), owned: true);
    }

    public static IExecutor Create(ParOptions options, int workers) => options.Isolation switch
    {
        Isolation.Threads => new ThreadExecutor(workers),
        Isolation.Processes => new ProcessExecutor(options, workers),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Isolation, "Unknown isolation."),
    };

    public ValueTask DisposeAsync() => owned ? executor.DisposeAsync() : ValueTask.CompletedTask;
}
