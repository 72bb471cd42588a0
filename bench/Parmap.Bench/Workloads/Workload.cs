using Parmap.Bench.Compare;

namespace Parmap.Bench.Workloads;

/// <summary>One of the benchmark workloads W1-W5 of shared/workloads.md.</summary>
internal abstract class Workload
{
    /// <summary>Id, e.g. <c>W2</c>.</summary>
    public abstract string Id { get; }

    /// <summary>Short name, e.g. <c>medium</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Items at the default size, the size of the reference checksum.</summary>
    public abstract int DefaultN { get; }

    /// <summary>The reference checksum at <see cref="DefaultN"/>.</summary>
    public abstract long ReferenceChecksum { get; }

    /// <summary>The number of items actually run for a requested number (W3 needs a square).</summary>
    public virtual int ResolveN(int requested) => requested;

    /// <summary>Smallest number of items the workload accepts.</summary>
    public virtual int MinN => 1;

    /// <summary>Runs every item with <paramref name="implementation"/> and returns the checksum (and W3's point values).</summary>
    public abstract ValueTask<WorkloadResult> RunAsync(Implementation implementation, int n);

    /// <summary>The reference point values at <see cref="DefaultN"/> (W3 only).</summary>
    public virtual IReadOnlyList<PointValue> ReferencePoints => [];
}

/// <summary>What one run of a workload produced.</summary>
/// <param name="Checksum">The workload's checksum.</param>
/// <param name="Points">Named result values printed for comparison (W3's three grid points), else empty.</param>
internal sealed record WorkloadResult(long Checksum, IReadOnlyList<PointValue> Points);

/// <summary>A named result value, e.g. <c>x[250,333]</c>.</summary>
internal readonly record struct PointValue(string Label, double Value);
