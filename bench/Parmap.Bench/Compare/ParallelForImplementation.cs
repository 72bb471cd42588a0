namespace Parmap.Bench.Compare;

/// <summary><c>Parallel.For</c> with thread-local sums (reductions) or writing straight into the result array (maps).</summary>
internal sealed class ParallelForImplementation(int workers, ParallelOptions options) : Implementation
{
    public override string Name => "parallel-for";

    public override int Workers => workers;

    public override ValueTask<long> SumAsync(Func<int, long> item, int n)
    {
        long total = 0;
        Parallel.For(0, n, options, static () => 0L, (i, _, local) => local + item(i), local => Interlocked.Add(ref total, local));
        return ValueTask.FromResult(total);
    }

    public override ValueTask<double[]> MapAsync(Func<int, double> item, int n)
    {
        var results = new double[n];
        Parallel.For(0, n, options, k => results[k] = item(k));
        return ValueTask.FromResult(results);
    }
}
