namespace Parmap.Bench.Workloads;

/// <summary>W1-W5 with their default sizes and reference checksums (shared/workloads.md).</summary>
internal static class WorkloadCatalog
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new SumWorkload("W1", "tiny", 1_000_000, 2147845616063639, static _ => Kernels.Tiny),
        new SumWorkload("W2", "medium", 2_000, 4221833748893, static _ => Kernels.Medium),
        new GridWorkload(),
        new SumWorkload("W4", "monte-carlo", 100_000, 785404175, static _ => Kernels.Trial),
        new SumWorkload("W5", "uneven", 2_000, 4243850944236, UnevenItem),
    ];

    /// <summary>The workload with this id (case-insensitive), or null.</summary>
    public static Workload? Find(string id) => All.FirstOrDefault(w => string.Equals(w.Id, id, StringComparison.OrdinalIgnoreCase));

    // A method of its own so that the lambda's closure holds n and nothing else.
    private static Func<int, long> UnevenItem(int n) => i => Kernels.Uneven(i, n);
}
