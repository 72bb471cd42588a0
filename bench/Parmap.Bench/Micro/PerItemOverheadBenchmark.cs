using BenchmarkDotNet.Attributes;

namespace Parmap.Bench.Micro;

/// <summary>
/// Per-item cost of the scheduler: 100,000 trivial items (x =&gt; x + 1) with automatic batching. Times are per item
/// (OperationsPerInvoke), so the figure is the overhead in ns per item.
/// </summary>
[MemoryDiagnoser]
public class PerItemOverheadBenchmark
{
    private const int Items = 100_000;

    private int[] _inputs = [];
    private int[] _results = [];

    [GlobalSetup]
    public void Setup()
    {
        _inputs = [.. Enumerable.Range(0, Items)];
        _results = new int[Items];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public async Task ParallelForEachAsync()
    {
        var results = _results;
        await Parallel.ForEachAsync(_inputs, (x, _) =>
        {
            results[x] = x + 1;
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public void ParallelFor()
    {
        var inputs = _inputs;
        var results = _results;
        Parallel.For(0, inputs.Length, i => results[i] = inputs[i] + 1);
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public Task<int[]> ParMap() => Par.Map(_inputs, static x => x + 1);
}
