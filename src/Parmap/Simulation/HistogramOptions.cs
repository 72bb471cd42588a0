namespace Parmap;

/// <summary>Asks a Monte Carlo run for a histogram of the trial values: <paramref name="Bins"/> equal bins over [<paramref name="Min"/>, <paramref name="Max"/>].</summary>
/// <param name="Bins">Number of bins, at least 1.</param>
/// <param name="Min">Lower edge of the first bin; smaller values count as underflow.</param>
/// <param name="Max">Upper edge of the last bin (included in it); larger values and NaN count as overflow.</param>
public sealed record HistogramOptions(int Bins, double Min, double Max)
{
    internal void Validate()
    {
        if (Bins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Bins), Bins, "A histogram needs at least 1 bin.");
        }
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Max <= Min)
        {
            throw new ArgumentOutOfRangeException(nameof(Max), Max, $"The histogram range [{Min}, {Max}] must be finite with Max > Min.");
        }
    }

    /// <summary>The bin of <paramref name="value"/>: 0 for underflow, 1 .. Bins for the bins, Bins + 1 for overflow and NaN.</summary>
    internal int Slot(double value)
    {
        if (value < Min)
        {
            return 0;
        }
        if (!(value <= Max))
        {
            return Bins + 1;
        }
        var bin = (int)((value - Min) / (Max - Min) * Bins);
        return Math.Min(bin, Bins - 1) + 1;
    }
}
