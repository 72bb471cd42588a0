using Parmap.Executors;

namespace Parmap.Scheduling;

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

    public override bool Exhausted => Volatile.Read(ref _ended) || base.Exhausted;

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
            try
            {
                while (n < max && _enumerator.MoveNext())
                {
                    inputs[n++] = _enumerator.Current;
                }
            }
            catch (Exception e)
            {
                // The sequence failed: what it gave so far runs and is delivered, then the run throws this.
                Failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                _ended = true;
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
