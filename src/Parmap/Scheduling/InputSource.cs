using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>Hands out the inputs in order, a batch at a time, to any number of lanes.</summary>
internal abstract class InputSource<T> : IDisposable
{
    /// <summary>Number of inputs when known up front.</summary>
    public abstract long? Count { get; }

    /// <summary>Inputs handed out so far.</summary>
    public abstract long Taken { get; }

    /// <summary>True once every input has been handed out.</summary>
    public virtual bool Exhausted => Count is { } count && Taken >= count;

    /// <summary>
    /// The exception the input sequence threw, if it did: the source then ends (the inputs read before it still run and
    /// are delivered), and the run throws it once they are.
    /// </summary>
    public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure { get; protected set; }

    /// <summary>Fills the batch with up to <paramref name="max"/> next inputs; returns how many (0 at the end).</summary>
    public abstract int Take<TOut>(Batch<T, TOut> batch, int max);

    public virtual void Dispose()
    {
    }

    public static InputSource<T> Create(IEnumerable<T> inputs) => inputs switch
    {
        T[] array => new ArraySource<T>(array),
        List<T> list => new ArraySource<T>(list),
        IReadOnlyList<T> list => new ListSource<T, IReadOnlyList<T>>(list, list.Count),
        IList<T> list => new ListSource<T, ListAdapter<T>>(new ListAdapter<T>(list), list.Count),
        _ => new EnumeratorSource<T>(inputs),
    };

    protected static void FillIndices<TOut>(Batch<T, TOut> batch, long start, int n)
    {
        var indices = batch.Indices;
        for (var k = 0; k < n; k++)
        {
            indices[k] = start + k;
        }
        batch.Count = n;
        batch.Contiguous = true;
    }
}
