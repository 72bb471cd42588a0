namespace Parmap.Executors;

/// <summary>Facts about an executor that shape scheduling and reporting.</summary>
/// <param name="Name">Named in the run report, e.g. <c>threads</c> or <c>processes</c>.</param>
/// <param name="Workers">How many lanes can run at once.</param>
/// <param name="TargetBatchDuration">
/// Automatic batching aims at batches of about this duration: long enough to amortize the executor's cost per batch
/// (a pipe round trip, a network message), short enough to balance the tail.
/// </param>
public sealed record ExecutorInfo(string Name, int Workers, TimeSpan TargetBatchDuration);
