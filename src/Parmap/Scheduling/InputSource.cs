namespace Parmap.Scheduling;

/// <summary>Hands out the inputs in order, a batch at a time, to any number of lanes.</summary>
internal abstract class InputSource<T> : IDisposable
{
    /// <summary>Number of inputs when known up front.</summary>
    public abstract long? Count { get; }

    /// <summary>Inputs handed out so far.</summary>
    public abstract long Taken { get; }

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

/// <summary>Any sequence, consumed lazily under a lock (enumerators are not thread-safe).</summary>
internal sealed class EnumeratorSource<T> : InputSource<T>
{
    private readonly Lock _lock = new();
    private readonly IEnumerator<T> _enumerator;
    private readonly long? _count;
    private long _taken;
    private bool _ended;

    public EnumeratorSource(IEnumerable<T> inputs)
    {
        _count = inputs.TryGetNonEnumeratedCount(out var c) ? c : null;
        _enumerator = inputs.GetEnumerator();
    }

    public override long? Count => _count;

    public override long Taken => Volatile.Read(ref _taken);

    public override int Take<TOut>(Batch<T, TOut> batch, int max)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return 0;
            }
            var inputs = batch.Inputs;
            var n = 0;
            while (n < max && _enumerator.MoveNext())
            {
                inputs[n++] = _enumerator.Current;
            }
            if (n < max)
            {
                _ended = true;
            }
            FillIndices(batch, _taken, n);
            Volatile.Write(ref _taken, _taken + n);
            return n;
        }
    }

    public override void Dispose()
    {
        lock (_lock)
        {
            _ended = true;
            _enumerator.Dispose();
        }
    }
}
