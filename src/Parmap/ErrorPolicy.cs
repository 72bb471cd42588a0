namespace Parmap;

/// <summary>What a failing item (after its retries) does to the run.</summary>
public enum ErrorPolicy
{
    /// <summary>Stop taking new items, cancel the running ones and throw <see cref="ItemFailedException"/> for the first failure.</summary>
    Stop,

    /// <summary>Run every item; report each item's value or error at the end (<see cref="Par.MapOutcomes{TIn, TOut}(IEnumerable{TIn}, Func{TIn, TOut}, ParOptions?, CancellationToken)"/>), or throw <see cref="ItemsFailedException"/> listing every failure.</summary>
    Collect,
}
