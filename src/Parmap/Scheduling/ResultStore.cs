namespace Parmap.Scheduling;

/// <summary>Results by index for an input of unknown length: fixed-size segments allocated on demand.</summary>
internal sealed class ResultStore<T>
{
    private const int SegmentBits = 16;
    private const int SegmentSize = 1 << SegmentBits;
    private readonly Lock _lock = new();
    private T[]?[] _segments = new T[]?[16];

    public void Set(long index, ReadOnlySpan<T> values)
    {
        while (!values.IsEmpty)
        {
            var segment = Segment(index >> SegmentBits);
            var offset = (int)(index & (SegmentSize - 1));
            var n = Math.Min(values.Length, SegmentSize - offset);
            values[..n].CopyTo(segment.AsSpan(offset));
            values = values[n..];
            index += n;
        }
    }

    public void Set(long index, T value) => Segment(index >> SegmentBits)[index & (SegmentSize - 1)] = value;

    public T[] ToArray(long count)
    {
        var result = new T[count];
        for (long start = 0; start < count; start += SegmentSize)
        {
            var n = (int)Math.Min(SegmentSize, count - start);
            var segment = _segments[start >> SegmentBits];
            if (segment is not null)
            {
                segment.AsSpan(0, n).CopyTo(result.AsSpan((int)start, n));
            }
        }
        return result;
    }

    private T[] Segment(long number)
    {
        lock (_lock)
        {
            if (number >= _segments.Length)
            {
                Array.Resize(ref _segments, (int)Math.Max(number + 1, _segments.Length * 2L));
            }
            return _segments[number] ??= new T[SegmentSize];
        }
    }
}
