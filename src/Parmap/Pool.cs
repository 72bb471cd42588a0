using Parmap.Scheduling;

namespace Parmap;

/// <summary>
/// Workers kept alive across several maps. Only needed to reuse workers: a plain <c>Par.Map</c> starts its workers
/// and stops them before it returns. Dispose the pool (<c>await using</c>) to stop its workers.
/// </summary>
/// <remarks>Maps on one pool run one after another; a second map waits until the first has finished.</remarks>
public sealed class Pool : IAsyncDisposable, IDisposable
{
    private Pool(ParOptions options)
    {
        Executor = ExecutorLease.Create(options, options.ResolveWorkers());
        Options = options with { Pool = this };
    }

    /// <summary>The options the pool was started with; pass them (or a <c>with</c> variant) to any <see cref="Par"/> method to run on this pool.</summary>
    public ParOptions Options { get; }

    /// <summary>Number of workers.</summary>
    public int Workers => Executor.Traits.Workers;

    internal IExecutor Executor { get; }

    /// <summary>Starts the workers.</summary>
    /// <param name="options">Workers and isolation of the pool, and the defaults of the maps run on it; <see langword="null"/> for the defaults.</param>
    public static Pool Start(ParOptions? options = null)
    {
        options ??= ParOptions.Default;
        options.Validate();
        if (options.Pool is not null)
        {
            throw new ArgumentException("These options already name a pool; start a pool from options without one.", nameof(options));
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

    /// <summary>Stops the workers; idempotent.</summary>
    public ValueTask DisposeAsync() => Executor.DisposeAsync();

    /// <summary>Stops the workers; idempotent.</summary>
    public void Dispose() => Executor.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
