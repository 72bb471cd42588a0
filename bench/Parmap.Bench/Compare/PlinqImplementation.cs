namespace Parmap.Bench.Compare;

/// <summary>PLINQ: <c>ParallelEnumerable.Range(0, n).Select(f).Sum()</c>; maps keep order with <c>AsOrdered().ToArray()</c>.</summary>
/// <param name="workers">Workers reported.</param>
/// <param name="degree">Degree of parallelism to force, or null for PLINQ's default (one per core).</param>
internal sealed class PlinqImplementation(int workers, int? degree) : Implementation
{
    public override string Name => "plinq";

    public override int Workers => workers;

    public override ValueTask<long> SumAsync(Func<int, long> item, int n) =>
        ValueTask.FromResult(Range(n).Select(item).Sum());

    public override ValueTask<double[]> MapAsync(Func<int, double> item, int n) =>
        ValueTask.FromResult(Range(n).AsOrdered().Select(item).ToArray());

    private ParallelQuery<int> Range(int n)
    {
        var query = ParallelEnumerable.Range(0, n);
        return degree is { } d ? query.WithDegreeOfParallelism(d) : query;
    }
}
