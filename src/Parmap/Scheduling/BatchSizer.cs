namespace Parmap.Scheduling;

/// <summary>
/// Chooses batch sizes by measured time, not by count: start at one item, time batches, grow (at most doubling)
/// toward the executor's target duration, and near the end of a known-size input cap batches at
/// remaining / (2 x workers) so that no worker is left with a big batch while the others idle (guided self-scheduling).
/// </summary>
internal sealed class BatchSizer
{
    private readonly Lock _lock = new();
    private readonly int? _fixed;
    private readonly double _targetTicks;
    private readonly long _frequency;
    private readonly int _workers;
    private readonly int _max;
    private double _ticksPerItem = double.NaN;
    private int _cap = 1;
    private int _largest;

    /// <param name="fixedSize">A fixed batch size, or null to size by time.</param>
    /// <param name="target">The duration batches aim at.</param>
    /// <param name="workers">Lanes, for the guided tail.</param>
    /// <param name="max">Largest batch.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed to <see cref="Observe"/>.</param>
    /// <param name="initialSecondsPerItem">What an earlier run measured per item: the first batches start at the size it implies rather than at one item.</param>
    public BatchSizer(int? fixedSize, TimeSpan target, int workers, int max, long timestampFrequency, double? initialSecondsPerItem = null)
    {
        _fixed = fixedSize;
        _frequency = timestampFrequency;
        _targetTicks = target.TotalSeconds * timestampFrequency;
        _workers = workers;
        _max = Math.Max(1, max);
        if (initialSecondsPerItem is { } seconds && seconds > 0)
        {
            _ticksPerItem = seconds * timestampFrequency;
            _cap = (int)Math.Clamp(_targetTicks / Math.Max(_ticksPerItem, 1e-3), 1, _max);
        }
    }

    /// <summary>The current estimate of one item's batch time, in seconds; NaN before the first batch is observed.</summary>
    public double SecondsPerItem
    {
        get
        {
            lock (_lock)
            {
                return _ticksPerItem / _frequency;
            }
        }
    }

    /// <summary>Largest batch size handed out.</summary>
    public int Largest => Volatile.Read(ref _largest);

    /// <summary>Size of the next batch; <paramref name="remaining"/> is the number of inputs not yet taken, when known.</summary>
    public int Next(long? remaining)
    {
        int size;
        if (_fixed is { } f)
        {
            size = Math.Min(f, _max);
        }
        else
        {
            lock (_lock)
            {
                var ideal = double.IsNaN(_ticksPerItem) ? 1 : _targetTicks / Math.Max(_ticksPerItem, 1e-3);
                size = (int)Math.Clamp(ideal, 1, Math.Min(_cap, _max));
            }
            if (remaining is { } r)
            {
                var guided = (r + (2 * _workers) - 1) / (2 * _workers);
                size = (int)Math.Max(1, Math.Min(size, guided));
            }
        }
        if (size > Volatile.Read(ref _largest))
        {
            lock (_lock)
            {
                _largest = Math.Max(_largest, size);
            }
        }
        return size;
    }

    /// <summary>Feeds back how long a batch of <paramref name="items"/> took.</summary>
    public void Observe(int items, long elapsedTicks)
    {
        if (_fixed is not null || items <= 0)
        {
            return;
        }
        var perItem = (double)elapsedTicks / items;
        lock (_lock)
        {
            // Weighted toward the latest batch so that a ramp (items getting slower) is followed quickly.
            _ticksPerItem = double.IsNaN(_ticksPerItem) ? perItem : (0.25 * _ticksPerItem) + (0.75 * perItem);
            if (items >= _cap)
            {
                _cap = (int)Math.Min(_max, (long)_cap * 2);
            }
        }
    }
}
