using Parmap.Executors;

namespace Parmap.Scheduling;

// Retries: an item that failed runs again, in a smaller batch on the same lane, as often as the settings allow.
internal sealed partial class Scheduler<TIn, TOut>
{
    /// <summary>Runs the failed, retryable items of <paramref name="batch"/> again (as one smaller batch) up to Retries times.</summary>
    private async ValueTask RetryAsync(int lane, Batch<TIn, TOut> batch, RetryScratch<TIn, TOut> scratch, CancellationToken token)
    {
        scratch.Begin(batch.Count);
        for (var attempt = 2; attempt <= _settings.Retries + 1 && !Cancelled(token); attempt++)
        {
            var again = scratch.Batch;
            again.Reset(batch.FailedCount);
            var k = 0;
            for (var p = 0; p < batch.Ran; p++)
            {
                if (batch.Errors[p] is { } error && ShouldRetry(error, token))
                {
                    scratch.Positions[k] = p;
                    scratch.Attempts[p] = attempt;
                    again.Indices[k] = batch.Indices[p];
                    again.Inputs[k] = batch.Inputs[p];
                    k++;
                }
            }
            if (k == 0)
            {
                break;
            }
            again.Count = k;
            again.Attempt = attempt;
            await RunBatchAsync(lane, again, token).ConfigureAwait(false);
            _meter.Retried(again.Ran);
            for (var j = 0; j < again.Ran; j++)
            {
                var p = scratch.Positions[j];
                if (again.Errors[j] is { } error)
                {
                    batch.Errors[p] = error;
                }
                else
                {
                    batch.Values[p] = again.Values[j];
                    batch.ClearError(p);
                }
            }
        }
    }

    private bool ShouldRetry(Exception error, CancellationToken token)
    {
        if (error is OperationCanceledException && Cancelled(token))
        {
            return false;
        }
        return _settings.RetryOn?.Invoke(error) ?? error is not OperationCanceledException;
    }
}
