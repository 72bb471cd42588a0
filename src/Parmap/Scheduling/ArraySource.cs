using Parmap.Executors;

namespace Parmap.Scheduling;

/// <summary>Lock-free over an array or a <see cref="List{T}"/> (read through its backing array): a shared counter claims ranges.</summary>
internal sealed class ArraySource<T> : InputSource<T>
{
    private readonly List<T>? _list;
    private readonly T[]? _array;
    private readonly int _count;
    private long _next;

    public ArraySource(T[] array)
    {
        _array = array;
        _count = array.Length;
    }

    public ArraySource(List<T> list)
    {
        _list = list;
        _count = list.Count;
    }

    public override long? Count => _count;

    public override long Taken => Math.Min(Volatile.Read(ref _next), _count);

    public override int Take<TOut>(Batch<T, TOut> batch, int max)
    {
        var start = Interlocked.Add(ref _next, max) - max;
        if (start >= _count)
        {
            return 0;
        }
        var n = (int)Math.Min(max, _count - start);
        var items = _array is not null ? _array.AsSpan() : System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_list);
        items.Slice((int)start, n).CopyTo(batch.Inputs);
        FillIndices(batch, start, n);
        return n;
    }
}
