using BenchmarkDotNet.Attributes;

namespace Parmap.Bench.Micro;

/// <summary>
/// Fixed cost of one call: a map of a single trivial item, with workers started and stopped by the call, and on a
/// <see cref="Pool"/> whose workers are already running.
/// </summary>
[MemoryDiagnoser]
public class CallOverheadBenchmark
{
    private readonly int[] _one = [41];
    private Pool? _pool;

    [GlobalSetup]
    public void Setup() => _pool = Pool.Start();

    [GlobalCleanup]
    public void Cleanup() => _pool?.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<int> ParallelForEachAsync()
    {
        var result = 0;
        await Parallel.ForEachAsync(_one, (x, _) =>
        {
            result = x + 1;
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        return result;
    }

    [Benchmark]
    public Task<int[]> ParMap() => Par.Map(_one, static x => x + 1);

    [Benchmark]
    public Task<int[]> ParMapOnPool() => _pool!.Map(_one, static x => x + 1);
}
