using BenchmarkDotNet.Attributes;

namespace Parmap.Bench.Micro;

/// <summary>
/// Per-batch cost of the scheduler: 10,000 trivial items with a fixed batch size of 1, so every item is a batch handed
/// to a worker and collected back. Times are per item = per batch (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class PerBatchOverheadBenchmark
{
    private const int Items = 10_000;

    private static readonly ParOptions s_oneItemBatches = new() { BatchSize = 1 };

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
    public Task<int[]> ParMapBatchSize1() => Par.Map(_inputs, static x => x + 1, s_oneItemBatches);
}
