namespace Parmap.Bench.Compare;

/// <summary>
/// <c>await Par.Map(Enumerable.Range(0, n), f, options)</c>: every result comes back in order as an array, as a user
/// would write it; reductions sum that array.
/// </summary>
/// <param name="name">Name of this variant, e.g. <c>parmap-threads</c>.</param>
/// <param name="options">Options of every map, e.g. the isolation.</param>
internal sealed class ParmapImplementation(string name, ParOptions options) : Implementation
{
    private RunReport? _lastReport;

    public override string Name => name;

    public override int Workers => options.Workers ?? Environment.ProcessorCount;

    public override RunReport? LastReport => _lastReport;

    public override async ValueTask<long> SumAsync(Func<int, long> item, int n)
    {
        var results = await Par.Map(Enumerable.Range(0, n), item, options).ConfigureAwait(false);
        _lastReport = Par.LastReport;
        return results.Sum();
    }

    public override async ValueTask<double[]> MapAsync(Func<int, double> item, int n)
    {
        var results = await Par.Map(Enumerable.Range(0, n), item, options).ConfigureAwait(false);
        _lastReport = Par.LastReport;
        return results;
    }
}
