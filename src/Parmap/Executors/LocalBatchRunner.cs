using System.Runtime.CompilerServices;

namespace Parmap.Executors;

/// <summary>
/// Runs a batch on the calling thread: a plain loop for synchronous functions, one await per item for asynchronous ones.
/// The item loop of every executor: threads call it directly, worker processes and cluster nodes after decoding a batch.
/// </summary>
/// <typeparam name="TIn">The input type.</typeparam>
/// <typeparam name="TOut">The result type.</typeparam>
/// <param name="function">The function to run.</param>
/// <remarks>Positions that already have an error when the batch starts (an input that could not be decoded) are skipped.</remarks>
public sealed class LocalBatchRunner<TIn, TOut>(WorkFunction<TIn, TOut> function) : IBatchRunner<TIn, TOut>
{
    /// <summary>The function this runner calls.</summary>
    public WorkFunction<TIn, TOut> Function => function;

    /// <inheritdoc/>
    public ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken) =>
        RunAsync(batch, default(NoHook), cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Runs the batch, telling <paramref name="hook"/> which position starts (a worker's watchdog watches it).</summary>
    internal ValueTask RunAsync<THook>(Batch<TIn, TOut> batch, THook hook, CancellationToken cancellationToken)
        where THook : struct, IItemHook
    {
        if (function.Plain is { } plain)
        {
            RunSync(new PlainCall(plain), hook, batch, cancellationToken);
            return ValueTask.CompletedTask;
        }
        if (function.Sync is { } sync)
        {
            RunSync(new TokenCall(sync), hook, batch, cancellationToken);
            return ValueTask.CompletedTask;
        }
        return RunAsync(function.Async!, hook, batch, cancellationToken);
    }

    // The call and the hook are struct type parameters so that the JIT compiles one specialized loop per shape: a plain
    // Func<TIn, TOut> is called directly, without an adapter delegate in between (this loop is the per-item hot path).
    // Compiled optimized at once rather than tiered: a fresh worker process would otherwise run it unoptimized for a while.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSync<TCall, THook>(TCall call, THook hook, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
        where TCall : struct, ICall
        where THook : struct, IItemHook
    {
        var inputs = batch.Inputs;
        var values = batch.Values;
        var errors = batch.Errors;
        var skipFailed = batch.FailedCount > 0;
        var n = batch.Count;
        var i = 0;
        for (; i < n; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            if (skipFailed && errors[i] is not null)
            {
                continue;
            }
            hook.Starting(i);
            try
            {
                values[i] = call.Invoke(inputs[i], cancellationToken);
            }
            catch (Exception e)
            {
                batch.SetError(i, e);
            }
            hook.Finished(i);
        }
        batch.Ran = i;
    }

    private static async ValueTask RunAsync<THook>(Func<TIn, CancellationToken, ValueTask<TOut>> f, THook hook, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
        where THook : struct, IItemHook
    {
        var skipFailed = batch.FailedCount > 0;
        var n = batch.Count;
        var i = 0;
        for (; i < n; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            if (skipFailed && batch.Errors[i] is not null)
            {
                continue;
            }
            hook.Starting(i);
            try
            {
                batch.Values[i] = await f(batch.Inputs[i], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                batch.SetError(i, e);
            }
            hook.Finished(i);
        }
        batch.Ran = i;
    }

    private interface ICall
    {
        TOut Invoke(TIn input, CancellationToken cancellationToken);
    }

    private readonly struct PlainCall(Func<TIn, TOut> f) : ICall
    {
        public TOut Invoke(TIn input, CancellationToken cancellationToken) => f(input);
    }

    private readonly struct TokenCall(Func<TIn, CancellationToken, TOut> f) : ICall
    {
        public TOut Invoke(TIn input, CancellationToken cancellationToken) => f(input, cancellationToken);
    }

    private readonly struct NoHook : IItemHook
    {
        public void Starting(int position)
        {
        }

        public void Finished(int position)
        {
        }
    }
}

/// <summary>Told, by <see cref="LocalBatchRunner{TIn, TOut}"/>, which position of a batch starts running, and when it has finished.</summary>
internal interface IItemHook
{
    void Starting(int position);

    void Finished(int position);
}
