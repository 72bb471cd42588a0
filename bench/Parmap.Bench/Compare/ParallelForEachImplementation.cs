using System.Collections.Concurrent;

namespace Parmap.Bench.Compare;

/// <summary><c>Parallel.ForEach</c> over the range partitioner <c>Partitioner.Create(0, n)</c>, one loop per range.</summary>
internal sealed class ParallelForEachImplementation(int workers, ParallelOptions options) : Implementation
{
    public override string Name => "parallel-foreach";

    public override int Workers => workers;

    public override ValueTask<long> SumAsync(Func<int, long> item, int n)
    {
        long total = 0;
        Parallel.ForEach(
            Partitioner.Create(0, n),
            options,
            static () => 0L,
            (range, _, local) =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    local += item(i);
                }
                return local;
            },
            local => Interlocked.Add(ref total, local));
        return ValueTask.FromResult(total);
    }

    public override ValueTask<double[]> MapAsync(Func<int, double> item, int n)
    {
        var results = new double[n];
        Parallel.ForEach(Partitioner.Create(0, n), options, range =>
        {
            for (var k = range.Item1; k < range.Item2; k++)
            {
                results[k] = item(k);
            }
        });
        return ValueTask.FromResult(results);
    }
}
