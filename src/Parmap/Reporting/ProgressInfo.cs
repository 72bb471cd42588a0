namespace Parmap;

/// <summary>A progress update of a running map.</summary>
/// <param name="Done">Items finished successfully.</param>
/// <param name="Failed">Items that failed after their retries.</param>
/// <param name="Total">Number of inputs, when known.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="ItemsPerSecond">Average throughput so far.</param>
/// <param name="Eta">Estimated time to finish, when the total is known and some items are done.</param>
public readonly record struct ProgressInfo(long Done, long Failed, long? Total, TimeSpan Elapsed, double ItemsPerSecond, TimeSpan? Eta)
{
    /// <summary>Items taken from the journal of an earlier run instead of being run again (values and failures). Not counted in <see cref="Done"/>, <see cref="Failed"/> or the rate.</summary>
    public long Resumed { get; init; }

    /// <summary>Finished items (done + failed + resumed).</summary>
    public long Finished => Done + Failed + Resumed;

    /// <summary>Fraction finished in [0, 1], when the total is known.</summary>
    public double? Fraction => Total is > 0 ? (double)Finished / Total.Value : null;

    /// <inheritdoc/>
    public override string ToString()
    {
        var total = Total is { } t ? $"/{t:N0}" : "";
        var eta = Eta is { } e ? $", ETA {e.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture)}" : "";
        var failed = Failed > 0 ? $", {Failed:N0} failed" : "";
        var resumed = Resumed > 0 ? $", {Resumed:N0} resumed" : "";
        return $"{Finished:N0}{total} items{failed}{resumed}, {ItemsPerSecond:N0} items/s{eta}";
    }
}
