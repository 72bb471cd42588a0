namespace Parmap.Executors;

/// <summary>Facts about an executor that shape scheduling and reporting.</summary>
/// <param name="Name">Named in the run report, e.g. <c>threads</c> or <c>processes</c>.</param>
/// <param name="Workers">How many lanes can run at once.</param>
/// <param name="TargetBatchDuration">
/// Automatic batching aims at batches of about this duration: long enough to amortize the executor's cost per batch
/// (a pipe round trip, a network message), short enough to balance the tail.
/// </param>
public sealed record ExecutorInfo(string Name, int Workers, TimeSpan TargetBatchDuration)
{
    /// <summary>
    /// True when the executor's batch runner may run batches on any thread of this process, the caller's included: the
    /// scheduler then runs a map's first items on the calling thread while it measures them, and all of them when the map
    /// is too small to be worth splitting. The default is <see langword="false"/>.
    /// </summary>
    public bool InProcess { get; init; }
}
