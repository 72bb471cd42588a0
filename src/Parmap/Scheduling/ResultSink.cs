using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>Where the scheduler delivers finished items: an array in memory, or a bounded stream to a reader.</summary>
internal abstract class ResultSink<TIn, TOut>
{
    /// <summary>Waits until <paramref name="items"/> more inputs may be taken (streams bound the items in flight). False when the run is over.</summary>
    public virtual ValueTask<bool> ReserveAsync(int items, CancellationToken cancellationToken) => new(true);

    /// <summary>Returns a reservation that was not used.</summary>
    public virtual void Unreserve(int items)
    {
    }

    /// <summary>Receives positions [0, batch.Ran) whose error is null.</summary>
    public abstract void DeliverValues(Batch<TIn, TOut> batch);

    /// <summary>Receives a final failure (only under <see cref="ErrorPolicy.Collect"/>).</summary>
    public abstract void DeliverFailure(ItemFailedException failure);
}
