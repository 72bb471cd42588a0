namespace Parmap.Bench.Compare;

/// <summary>A plain loop on the calling thread: the baseline of every speedup.</summary>
internal sealed class SerialImplementation : Implementation
{
    public override string Name => "serial";

    public override int Workers => 1;

    public override ValueTask<long> SumAsync(Func<int, long> item, int n)
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += item(i);
        }
        return ValueTask.FromResult(sum);
    }

    public override ValueTask<double[]> MapAsync(Func<int, double> item, int n)
    {
        var results = new double[n];
        for (var k = 0; k < n; k++)
        {
            results[k] = item(k);
        }
        return ValueTask.FromResult(results);
    }
}
