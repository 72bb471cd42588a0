namespace Parmap.Bench.Compare;

/// <summary>
/// W3 through <c>Grid</c>: <c>Par.Map(Grid.Of(Axis.Linspace("a", 0, 1, g), Axis.Linspace("b", 0, 1, g)), p =&gt; Model(p))</c>,
/// to show that the grid conveniences cost nothing next to a plain <c>Par.Map</c> over item indices.
/// </summary>
internal sealed class ParmapGridImplementation(ParOptions options) : Implementation
{
    private RunReport? _lastReport;

    public override string Name => "parmap-grid";

    public override int Workers => options.Workers ?? Environment.ProcessorCount;

    public override RunReport? LastReport => _lastReport;

    public override bool Supports(Workloads.Workload workload) => workload.Id == "W3";

    public async ValueTask<double[]> MapGridAsync(int g)
    {
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, g), Axis.Linspace("b", 0, 1, g));
        var surface = await Par.Map(grid, static p => Workloads.Kernels.LogisticAt(p.Item1, p.Item2), options).ConfigureAwait(false);
        _lastReport = surface.Report;
        return surface.Values.ToArray();
    }

    public override ValueTask<long> SumAsync(Func<int, long> item, int n) => throw new NotSupportedException("parmap-grid runs W3 only.");

    public override ValueTask<double[]> MapAsync(Func<int, double> item, int n) => throw new NotSupportedException("parmap-grid runs W3 only.");
}
