using Parmap.Bench.Workloads;

namespace Parmap.Bench.Compare;

/// <summary>What one <c>compare</c> command runs.</summary>
/// <param name="Workloads">Workloads, run one after another.</param>
/// <param name="N">Items per workload, or null for each workload's default size.</param>
/// <param name="Reps">Timed repetitions after the warm-up repetitions.</param>
/// <param name="Warmups">Untimed repetitions first (JIT, caches, thread pool).</param>
/// <param name="Implementations">Implementations, interleaved within each repetition.</param>
/// <param name="Json">One JSON object per line instead of a table.</param>
internal sealed record CompareSettings(
    IReadOnlyList<Workload> Workloads,
    int? N,
    int Reps,
    int Warmups,
    IReadOnlyList<Implementation> Implementations,
    bool Json);
