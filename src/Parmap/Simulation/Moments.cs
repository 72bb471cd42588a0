namespace Parmap;

/// <summary>
/// Count, sum, mean and sum of squared deviations (M2) of one or more statistics, plus histogram counts: what one block of
/// trials produces (Welford's update, in trial order) and what the run merges block by block in block order (Chan et al.),
/// so the result depends on the blocks only, never on which worker ran them or when.
/// </summary>
internal sealed class Moments
{
    private readonly HistogramOptions? _histogram;

    /// <summary>For deserialization: a block's moments come back from a worker process as plain data (the histogram options are only needed where trials are added, and merging takes the slots as they are).</summary>
    public Moments()
    {
    }

    public Moments(int statistics, HistogramOptions? histogram)
    {
        _histogram = histogram;
        if (statistics > 0)
        {
            Allocate(statistics);
        }
    }

    public long Count { get; private set; }

    /// <summary>Number of statistics per trial; 0 until the first vector trial says.</summary>
    public int Statistics => Mean.Length;

    public double[] Sum { get; private set; } = [];

    public double[] Mean { get; private set; } = [];

    public double[] M2 { get; private set; } = [];

    /// <summary>Per statistic, the trials whose value was NaN or infinite.</summary>
    public long[] NonFinite { get; private set; } = [];

    /// <summary>Per statistic, the position (among this object's trials, in order) of the first NaN or infinite value; -1 for none.</summary>
    public long[] FirstNonFinite { get; private set; } = [];

    /// <summary>Per statistic, Bins + 2 slots (underflow, bins, overflow); null without a histogram.</summary>
    public long[][]? Slots { get; private set; }

    public void EnsureStatistics(int statistics, long trial)
    {
        if (Statistics == 0)
        {
            if (statistics == 0)
            {
                throw new InvalidOperationException($"Trial {trial} returned no statistics; a vector-valued trial must return at least one value.");
            }
            Allocate(statistics);
        }
        else if (statistics != Statistics)
        {
            throw new InvalidOperationException($"Trial {trial} returned {statistics} statistics, earlier trials {Statistics}; every trial must return the same number.");
        }
    }

    /// <summary>Adds one trial's value of statistic <paramref name="s"/>; call for every statistic, then <see cref="Next"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Add(int s, double x)
    {
        var n = Count + 1;
        var delta = x - Mean[s];
        Mean[s] += delta / n;
        M2[s] += delta * (x - Mean[s]);
        Sum[s] += x;
        if (!double.IsFinite(x) && NonFinite[s]++ == 0)
        {
            FirstNonFinite[s] = Count;
        }
        if (Slots is not null)
        {
            Slots[s][_histogram!.Slot(x)]++;
        }
    }

    /// <summary>Counts the trial whose statistics were just added.</summary>
    public void Next() => Count++;

    /// <summary>Merges <paramref name="other"/> (the next block in order) into this one.</summary>
    public void Merge(Moments other)
    {
        if (other.Count == 0)
        {
            return;
        }
        if (Statistics == 0)
        {
            Allocate(other.Statistics);
        }
        else if (other.Statistics != Statistics)
        {
            throw new InvalidOperationException($"Trials returned {other.Statistics} statistics in one block and {Statistics} in earlier ones; every trial must return the same number.");
        }
        var n = Count + other.Count;
        for (var s = 0; s < Statistics; s++)
        {
            var delta = other.Mean[s] - Mean[s];
            Mean[s] += delta * ((double)other.Count / n);
            M2[s] += other.M2[s] + (delta * delta * ((double)Count * other.Count / n));
            Sum[s] += other.Sum[s];
            // Blocks merge in order: the first non-finite value is this one's, else the other's after this one's trials.
            if (other.NonFinite.Length > 0 && other.NonFinite[s] > 0)
            {
                if (NonFinite[s] == 0)
                {
                    FirstNonFinite[s] = Count + other.FirstNonFinite[s];
                }
                NonFinite[s] += other.NonFinite[s];
            }
            if (Slots is not null)
            {
                for (var k = 0; k < Slots[s].Length; k++)
                {
                    Slots[s][k] += other.Slots![s][k];
                }
            }
        }
        Count = n;
    }

    private void Allocate(int statistics)
    {
        Sum = new double[statistics];
        Mean = new double[statistics];
        M2 = new double[statistics];
        NonFinite = new long[statistics];
        FirstNonFinite = new long[statistics];
        Array.Fill(FirstNonFinite, -1L);
        if (_histogram is not null)
        {
            Slots = new long[statistics][];
            for (var s = 0; s < statistics; s++)
            {
                Slots[s] = new long[_histogram.Bins + 2];
            }
        }
    }
}
