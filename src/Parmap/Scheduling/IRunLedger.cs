using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>
/// Optional companion of a run that remembers items across runs (the journal). The scheduler asks it, for every
/// batch it takes, which items are already settled (their stored value or failure goes straight to the sink), and
/// tells it every value and failure that the run produces.
/// </summary>
internal interface IRunLedger<TIn, TOut>
{
    /// <summary>
    /// Delivers the items of <paramref name="batch"/> that are already settled to <paramref name="sink"/>, removes them
    /// from the batch (the rest move to the front) and returns how many it removed.
    /// </summary>
    int SkipSettled(Batch<TIn, TOut> batch, ResultSink<TIn, TOut> sink);

    /// <summary>Records the values of positions [0, batch.Ran) whose error is null, just before they reach the sink.</summary>
    void RecordValues(Batch<TIn, TOut> batch);

    /// <summary>Records an item that failed after its retries.</summary>
    void RecordFailure(ItemFailedException failure);
}
