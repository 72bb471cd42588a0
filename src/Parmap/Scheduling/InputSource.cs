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
        IReadOnlyList<T> list => new ListSource<T>(list.Count, i => list[i]),
        IList<T> list => new ListSource<T>(list.Count, i => list[i]),
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

/// <summary>Lock-free: a shared counter claims ranges.</summary>
internal sealed class ArraySource<T>(T[] array) : InputSource<T>
{
    private long _next;

    public override long? Count => array.Length;

    public override long Taken => Math.Min(Volatile.Read(ref _next), array.Length);

    public override int Take<TOut>(Batch<T, TOut> batch, int max)
    {
        var start = Interlocked.Add(ref _next, max) - max;
        if (start >= array.Length)
        {
            return 0;
        }
        var n = (int)Math.Min(max, array.Length - start);
        Array.Copy(array, start, batch.Inputs, 0, n);
        FillIndices(batch, start, n);
        return n;
    }
}

/// <summary>Lock-free over an indexable collection (lists, ranges, grids).</summary>
internal sealed class ListSource<T>(int count, Func<int, T> item) : InputSource<T>
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
            inputs[k] = item((int)start + k);
        }
        FillIndices(batch, start, n);
        return n;
    }
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
