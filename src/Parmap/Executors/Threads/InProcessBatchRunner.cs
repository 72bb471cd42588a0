using Parmap.Scheduling;

namespace Parmap.Executors.Threads;

/// <summary>Runs a batch on the current thread: a plain loop for synchronous functions, one await per item for async ones.</summary>
internal sealed class InProcessBatchRunner<TIn, TOut>(WorkFunction<TIn, TOut> function) : IBatchRunner<TIn, TOut>
{
    public ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
    {
        if (function.Sync is { } f)
        {
            RunSync(f, batch, cancellationToken);
            return ValueTask.CompletedTask;
        }
        return RunAsync(function.Async!, batch, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void RunSync(Func<TIn, CancellationToken, TOut> f, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
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
                values[i] = f(inputs[i], cancellationToken);
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
}
