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

    /// <summary>
    /// One line of fixed width while the run goes on (when the total is known), so that <c>Console.Write($"\r{p}")</c>
    /// overwrites the previous line cleanly: counts padded to the total's width, the rate to 10 digits, and an ETA
    /// always shown (<c>--:--:--</c> until one can be estimated).
    /// </summary>
    public override string ToString()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var width = Total is { } t ? t.ToString("N0", inv).Length : 0;
        var total = Total is { } n ? "/" + n.ToString("N0", inv) : "";
        var eta = Eta is { } e ? FormattableString.Invariant($"{(long)e.TotalHours:00}:{e.Minutes:00}:{e.Seconds:00}") : "--:--:--";
        var resumed = Resumed > 0 ? FormattableString.Invariant($", {Resumed:N0} resumed") : "";
        var finished = Finished.ToString("N0", inv).PadLeft(width);
        var failed = Failed.ToString("N0", inv).PadLeft(Math.Max(1, width));
        var rate = ItemsPerSecond.ToString("N0", inv).PadLeft(10);
        return $"{finished}{total} items, {failed} failed{resumed}, {rate} items/s, ETA {eta}";
    }
}
