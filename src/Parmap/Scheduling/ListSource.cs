using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>Lock-free over an indexable collection (ranges, grids, other lists). The list is a type parameter so the indexer is called directly.</summary>
internal sealed class ListSource<T, TList>(TList list, int count) : InputSource<T>
    where TList : IReadOnlyList<T>
{
    private long _next;

    public override long? Count => count;

    public override long Taken => Math.Min(Volatile.Read(ref _next), count);

    public override int Take<TOut>(Batch<T, TOut> batch, int max)
    {
        var start = Interlocked.Add(ref _next, max) - max;
        if (start >= count)
        {
            return 0;
        }
        var n = (int)Math.Min(max, count - start);
        var inputs = batch.Inputs;
        for (var k = 0; k < n; k++)
        {
            inputs[k] = list[(int)start + k];
        }
        FillIndices(batch, start, n);
        return n;
    }
}

/// <summary>An <see cref="IList{T}"/> seen as an <see cref="IReadOnlyList{T}"/> (some lists implement only the former).</summary>
internal readonly struct ListAdapter<T>(IList<T> list) : IReadOnlyList<T>
{
    public T this[int index] => list[index];

    public int Count => list.Count;

    public IEnumerator<T> GetEnumerator() => list.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => list.GetEnumerator();
}
