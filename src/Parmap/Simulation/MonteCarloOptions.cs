namespace Parmap;

/// <summary>Options for a Monte Carlo run. Every property has a default, so <c>new MonteCarloOptions()</c> is complete.</summary>
public sealed record MonteCarloOptions
{
    /// <summary>Shared default options.</summary>
    public static MonteCarloOptions Default { get; } = new();

    /// <summary>Confidence level of the interval, strictly between 0 and 1. The default is 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// Trials per block. Blocks are the unit of work, of merging and of early stopping: trial t is in block t / BlockSize
    /// whatever the workers, so changing it (unlike the workers or the batch size) changes the last bits of the estimate.
    /// The default is 250.
    /// </summary>
    public int BlockSize { get; init; } = 250;

    /// <summary>Stop early once the standard error is at most this (checked after each block, in trial order). The default is <see langword="null"/>: no absolute target.</summary>
    public double? TargetStandardError { get; init; }

    /// <summary>Stop early once standard error / |mean| is at most this (checked after each block, in trial order). The default is <see langword="null"/>: no relative target.</summary>
    public double? TargetRelativeError { get; init; }

    /// <summary>Never stop early before this many trials (a tiny sample can look precise by luck). The default is 1,000.</summary>
    public long MinTrials { get; init; } = 1000;

    /// <summary>Bins for a histogram of the trial values. The default is <see langword="null"/>: no histogram.</summary>
    public HistogramOptions? Histogram { get; init; }

    /// <summary>Names of the statistics of vector-valued trials, in order. The default is <see langword="null"/>: unnamed.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>How the blocks run: workers, isolation, batch size, retries, pool, progress (counted in blocks). The default is <see cref="ParOptions.Default"/>.</summary>
    public ParOptions ParOptions { get; init; } = ParOptions.Default;

    internal bool StopsEarly => TargetStandardError is not null || TargetRelativeError is not null;

    internal void Validate()
    {
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "ConfidenceLevel must be strictly between 0 and 1, e.g. 0.95.");
        }
        if (BlockSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "BlockSize must be at least 1.");
        }
        if (TargetStandardError is { } se && !(se > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetStandardError), se, "TargetStandardError must be a positive number, or null for none.");
        }
        if (TargetRelativeError is { } re && !(re > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetRelativeError), re, "TargetRelativeError must be a positive number, or null for none.");
        }
        if (MinTrials < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinTrials), MinTrials, "MinTrials must be 0 or more.");
        }
        Histogram?.Validate();
        ArgumentNullException.ThrowIfNull(ParOptions, nameof(ParOptions));
        ParOptions.Validate();
    }

    /// <summary>Whether the merged moments meet the target for every statistic.</summary>
    internal bool Reached(Moments merged)
    {
        if (merged.Count < Math.Max(2, MinTrials))
        {
            return false;
        }
        for (var s = 0; s < merged.Statistics; s++)
        {
            var se = Math.Sqrt(merged.M2[s] / (merged.Count - 1) / merged.Count);
            if (TargetStandardError is { } target && !(se <= target))
            {
                return false;
            }
            if (TargetRelativeError is { } relative && !(se <= relative * Math.Abs(merged.Mean[s])))
            {
                return false;
            }
        }
        return true;
    }
}
