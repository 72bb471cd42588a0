namespace Parmap.Bench.Compare;

/// <summary>One way of running a workload's items: serially, with a BCL parallel API, or with Parmap.</summary>
/// <remarks>
/// A workload is either a reduction (<see cref="SumAsync"/>: items are non-negative integers summed into a checksum) or
/// a map (<see cref="MapAsync"/>: every item's double comes back in item order). Add an implementation by deriving from
/// this class and listing it in <see cref="Implementations.Create"/>.
/// </remarks>
internal abstract class Implementation
{
    /// <summary>Name as printed and filtered with <c>--impl</c>, e.g. <c>parallel-for</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Workers the implementation runs on (1 for serial).</summary>
    public abstract int Workers { get; }

    /// <summary>Runs <paramref name="item"/> for every i in [0, n) and returns the sum of the results.</summary>
    public abstract ValueTask<long> SumAsync(Func<int, long> item, int n);

    /// <summary>Runs <paramref name="item"/> for every k in [0, n) and returns the results in order.</summary>
    public abstract ValueTask<double[]> MapAsync(Func<int, double> item, int n);

    /// <summary>False for implementations that exist for one workload only (e.g. W3 through <c>Grid</c>).</summary>
    public virtual bool Supports(Workloads.Workload workload) => true;

    /// <summary>The run report of the last call, for implementations that produce one (Parmap).</summary>
    public virtual RunReport? LastReport => null;
}
