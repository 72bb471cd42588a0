namespace Parmap;

/// <summary>Counts of trial values in equal bins, merged exactly (integer counts), so bit-identical for any number of workers.</summary>
public sealed class Histogram
{
    private readonly long[] _counts;

    internal Histogram(HistogramOptions options, long[] slots)
    {
        Options = options;
        Underflow = slots[0];
        Overflow = slots[^1];
        _counts = slots[1..^1];
    }

    /// <summary>The bins asked for.</summary>
    public HistogramOptions Options { get; }

    /// <summary>Count per bin, from the lowest.</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>Values below <see cref="HistogramOptions.Min"/>.</summary>
    public long Underflow { get; }

    /// <summary>Values above <see cref="HistogramOptions.Max"/>, and NaN.</summary>
    public long Overflow { get; }

    /// <summary>Width of one bin.</summary>
    public double BinWidth => (Options.Max - Options.Min) / Options.Bins;

    /// <summary>Lower edge of bin <paramref name="bin"/>.</summary>
    /// <param name="bin">The bin, from 0.</param>
    public double LowerEdge(int bin) => Options.Min + (bin * BinWidth);

    /// <summary>Centre of bin <paramref name="bin"/>.</summary>
    /// <param name="bin">The bin, from 0.</param>
    public double Center(int bin) => Options.Min + ((bin + 0.5) * BinWidth);

    /// <summary>All counted values: bins, underflow and overflow.</summary>
    public long Total => _counts.Sum() + Underflow + Overflow;
}
