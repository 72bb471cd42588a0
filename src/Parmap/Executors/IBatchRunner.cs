namespace Parmap.Executors;

/// <summary>Runs batches of one function on an executor (see <see cref="IExecutor.OpenAsync{TIn, TOut}"/>).</summary>
/// <typeparam name="TIn">The input type.</typeparam>
/// <typeparam name="TOut">The result type.</typeparam>
public interface IBatchRunner<TIn, TOut> : IAsyncDisposable
{
    /// <summary>
    /// Runs <c>batch.Inputs[0 .. batch.Count)</c> on the worker that serves <paramref name="lane"/> and fills, for each
    /// position, <see cref="Batch{TIn, TOut}.Values"/> or an error (<see cref="Batch{TIn, TOut}.SetError"/>); sets
    /// <see cref="Batch{TIn, TOut}.Ran"/> to the number of positions run (fewer than <see cref="Batch{TIn, TOut}.Count"/>
    /// only when <paramref name="cancellationToken"/> stopped it).
    /// </summary>
    /// <remarks>Never throws for an item's failure: that is the item's error. Throwing means the executor itself is broken, and ends the run.</remarks>
    /// <param name="lane">The lane asking (0 to lanes - 1): one batch at a time per lane.</param>
    /// <param name="batch">The batch to run and to fill.</param>
    /// <param name="cancellationToken">Stops the batch after its current item.</param>
    ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken);
}
