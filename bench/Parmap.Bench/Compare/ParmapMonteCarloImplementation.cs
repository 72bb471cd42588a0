namespace Parmap.Bench.Compare;

/// <summary>
/// W4 through <c>MonteCarlo.Run</c>: each trial runs W4's own counter-based kernel for its trial index (the trial's
/// <c>Rng</c> is not drawn from, so the checksum is W4's reference), and the checksum is the estimate's exact sum.
/// Shows that blocks, Welford/Chan merges and per-trial generators cost nothing next to a plain <c>Par.Map</c>.
/// </summary>
internal sealed class ParmapMonteCarloImplementation(ParOptions options) : Implementation
{
    private RunReport? _lastReport;

    public override string Name => "parmap-montecarlo";

    public override int Workers => options.Workers ?? Environment.ProcessorCount;

    public override RunReport? LastReport => _lastReport;

    public override bool Supports(Workloads.Workload workload) => workload.Id == "W4";

    public override async ValueTask<long> SumAsync(Func<int, long> item, int n)
    {
        var estimate = await MonteCarlo.Run(n, seed: 0, rng => item((int)rng.Trial), new MonteCarloOptions { ParOptions = options }).ConfigureAwait(false);
        _lastReport = Par.LastReport;
        return (long)estimate.Sum;
    }

    public override ValueTask<double[]> MapAsync(Func<int, double> item, int n) => throw new NotSupportedException("parmap-montecarlo runs W4 only.");
}
