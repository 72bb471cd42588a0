using System.Collections.Concurrent;

using Parmap.Executors;
using Parmap.Running;

namespace Parmap;

/// <summary>
/// An executor kept alive across several maps: its workers start once and stay warm until the pool is disposed.
/// Run on it with <see cref="Options"/> (or <c>options with { Executor = pool.Executor }</c>), from any entry point:
/// maps, streams, grids, Monte Carlo. Dispose the pool (<c>await using</c>) to stop its workers.
/// </summary>
/// <remarks>
/// <para>The options refer to the pool by value (an id), not by holding it: a map on a disposed pool fails with a
/// message that says so. Maps on one pool run one after another; a second map waits until the first has finished.</para>
/// <para>A map nested in another map's function runs inline on the calling worker, whatever executor it names.</para>
/// </remarks>
public sealed class Pool : IAsyncDisposable, IDisposable
{
    private static readonly ConcurrentDictionary<long, Pool> s_live = new();
    private static long s_lastId;
    private readonly IExecutor _executor;
    private int _disposed;

    private Pool(ParOptions options)
    {
        _executor = options.Executor.ForPool().CreateExecutor(options.ResolveWorkers());
        Id = Interlocked.Increment(ref s_lastId);
        Executor = new PoolExecutorOptions(Id, options.Executor);
        Options = options with { Executor = Executor };
        s_live[Id] = this;
    }

    /// <summary>The options the pool was started with, whose <see cref="ParOptions.Executor"/> is this pool: pass them (or a <c>with</c> variant) to any map.</summary>
    public ParOptions Options { get; }

    /// <summary>This pool as an executor choice: <c>options with { Executor = pool.Executor }</c> runs a map on it.</summary>
    public ExecutorOptions Executor { get; }

    /// <summary>Number of workers.</summary>
    public int Workers => _executor.Info.Workers;

    internal long Id { get; }

    /// <summary>Starts the workers.</summary>
    /// <param name="options">The executor and number of workers of the pool, and the defaults of the maps run on it; <see langword="null"/> for the defaults (threads, one per core).</param>
    /// <exception cref="ArgumentException">The options already run on a pool.</exception>
    public static Pool Start(ParOptions? options = null)
    {
        options ??= ParOptions.Default;
        options.Validate();
        if (options.Executor is PoolExecutorOptions)
        {
            throw new ArgumentException("These options already run on a pool (their Executor is a pool); start a pool from options that name an executor, such as ExecutorOptions.Processes.", nameof(options));
        }
        return new Pool(options);
    }

    /// <summary>Runs <paramref name="f"/> on every input on this pool's workers; see <see cref="Par.Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>.</summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The result type.</typeparam>
    /// <param name="inputs">The inputs.</param>
    /// <param name="f">The function.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One result per input, in input order.</returns>
    public Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, CancellationToken cancellationToken = default) =>
        Par.Map(inputs, f, Options, cancellationToken);

    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, CancellationToken)"/>
    public Task<TOut[]> Map<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, CancellationToken cancellationToken = default) =>
        Par.Map(inputs, f, Options, cancellationToken);

    /// <summary>Streams results from this pool's workers; see <see cref="Par.Stream{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="Map{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, CancellationToken)"/>
    public IAsyncEnumerable<TOut> Stream<TIn, TOut>(IEnumerable<TIn> inputs, Func<TIn, TOut> f, CancellationToken cancellationToken = default) =>
        Par.Stream(inputs, f, Options, cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => $"Pool of {Workers} {Executor.Name} workers{(Volatile.Read(ref _disposed) != 0 ? " (disposed)" : "")}";

    /// <summary>Stops the workers; idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }
        s_live.TryRemove(Id, out _);
        return _executor.DisposeAsync();
    }

    /// <summary>Stops the workers; idempotent.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The executor of the live pool <paramref name="id"/>, borrowed by one map (disposing it leaves the pool running).</summary>
    internal static IExecutor Borrow(long id, ExecutorOptions inner)
    {
        if (!s_live.TryGetValue(id, out var pool))
        {
            throw new ObjectDisposedException($"Pool of {inner.Name} workers",
                $"The map runs on a pool of {inner.Name} workers that was disposed. Start a new pool (Pool.Start) and use its Options, or run without a pool.");
        }
        return new BorrowedExecutor(pool._executor);
    }
}
