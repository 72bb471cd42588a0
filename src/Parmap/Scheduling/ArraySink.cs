using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>Collects every result in input order for <c>Map</c> and <c>MapOutcomes</c>.</summary>
internal sealed class ArraySink<TIn, TOut> : ResultSink<TIn, TOut>
{
    private readonly TOut[]? _array;
    private readonly ResultStore<TOut>? _store;
    private readonly Lock _lock = new();
    private readonly List<ItemFailedException> _failures = [];

    public ArraySink(long? count)
    {
        if (count is { } c)
        {
            _array = new TOut[c];
        }
        else
        {
            _store = new ResultStore<TOut>();
        }
    }

    public override void DeliverValues(Batch<TIn, TOut> batch)
    {
        var n = batch.Ran;
        if (batch.FailedCount == 0 && batch.Contiguous)
        {
            var start = batch.Indices[0];
            if (_array is not null)
            {
                Array.Copy(batch.Values, 0, _array, start, n);
            }
            else
            {
                _store!.Set(start, batch.Values.AsSpan(0, n));
            }
            return;
        }
        for (var p = 0; p < n; p++)
        {
            if (batch.Errors[p] is null)
            {
                if (_array is not null)
                {
                    _array[batch.Indices[p]] = batch.Values[p];
                }
                else
                {
                    _store!.Set(batch.Indices[p], batch.Values[p]);
                }
            }
        }
    }

    public override void DeliverFailure(ItemFailedException failure)
    {
        lock (_lock)
        {
            _failures.Add(failure);
        }
    }

    /// <summary>The failures in input order.</summary>
    public IReadOnlyList<ItemFailedException> Failures()
    {
        lock (_lock)
        {
            return [.. _failures.OrderBy(f => f.Index)];
        }
    }

    public TOut[] Values(long count) => _array ?? _store!.ToArray(count);
}
