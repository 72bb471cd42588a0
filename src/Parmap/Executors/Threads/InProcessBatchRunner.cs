using Parmap.Scheduling;

namespace Parmap.Executors.Threads;

/// <summary>Runs a batch on the current thread: a plain loop for synchronous functions, one await per item for async ones.</summary>
internal sealed class InProcessBatchRunner<TIn, TOut>(WorkFunction<TIn, TOut> function) : IBatchRunner<TIn, TOut>
{
    public ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
    {
        if (function.Plain is { } plain)
        {
            RunSync(new PlainCall(plain), batch, cancellationToken);
            return ValueTask.CompletedTask;
        }
        if (function.Sync is { } sync)
        {
            RunSync(new TokenCall(sync), batch, cancellationToken);
            return ValueTask.CompletedTask;
        }
        return RunAsync(function.Async!, batch, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The call is a struct type parameter so that the JIT compiles one specialized loop per shape: a plain
    // Func<TIn, TOut> is called directly, without an adapter delegate in between (this loop is the per-item hot path).
    private static void RunSync<TCall>(TCall call, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
        where TCall : struct, ICall
    {
        var inputs = batch.Inputs;
        var values = batch.Values;
        var n = batch.Count;
        var i = 0;
        for (; i < n; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                values[i] = call.Invoke(inputs[i], cancellationToken);
            }
            catch (Exception e)
            {
                batch.SetError(i, e);
            }
        }
        batch.Ran = i;
    }

    private static async ValueTask RunAsync(Func<TIn, CancellationToken, ValueTask<TOut>> f, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
    {
        var n = batch.Count;
        var i = 0;
        for (; i < n; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                batch.Values[i] = await f(batch.Inputs[i], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                batch.SetError(i, e);
            }
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
}
