using System.Diagnostics;

using Parmap.Bench.Workloads;

namespace Parmap.Bench.Compare;

/// <summary>
/// Runs each workload with every implementation in one process: a warm-up repetition, then the timed repetitions, the
/// implementations interleaved within each repetition (serial, parallel-for, ..., then again) so that a drift of the
/// machine hits all of them alike; figures are medians over the timed repetitions.
/// </summary>
internal static class CompareRunner
{
    private sealed record Rep(double Seconds, WorkloadResult Result, RunReport? Report);

    /// <summary>Runs one workload and returns one summary per implementation, in implementation order.</summary>
    public static async Task<IReadOnlyList<ImplSummary>> RunAsync(Workload workload, CompareSettings settings, TextWriter log)
    {
        var n = workload.ResolveN(settings.N ?? workload.DefaultN);
        var impls = settings.Implementations.Where(i => i.Supports(workload)).ToList();
        var reps = impls.Select(_ => new List<Rep>()).ToArray();
        var checksums = impls.Select(_ => new HashSet<long>()).ToArray();
        for (var rep = 1 - settings.Warmups; rep <= settings.Reps; rep++)
        {
            var label = rep <= 0 ? "warm-up" : $"rep {rep}/{settings.Reps}";
            for (var k = 0; k < impls.Count; k++)
            {
                var measured = await MeasureAsync(workload, impls[k], n).ConfigureAwait(false);
                checksums[k].Add(measured.Result.Checksum);
                if (rep > 0)
                {
                    reps[k].Add(measured);
                }
                log.WriteLine(FormattableString.Invariant($"{workload.Id} n={n} {label} {impls[k].Name}: {measured.Seconds:F3} s"));
            }
        }
        var summaries = new List<ImplSummary>();
        for (var k = 0; k < impls.Count; k++)
        {
            summaries.Add(Summarize(workload, impls[k], n, reps[k], checksums[k].Count == 1));
        }
        return AddSerialComparison(summaries);
    }

    private static async Task<Rep> MeasureAsync(Workload workload, Implementation impl, int n)
    {
        // Start every measurement from a clean heap so that one implementation's garbage is not collected on another's clock.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var start = Stopwatch.GetTimestamp();
        var result = await workload.RunAsync(impl, n).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new Rep(seconds, result, impl.LastReport);
    }

    private static ImplSummary Summarize(Workload workload, Implementation impl, int n, List<Rep> reps, bool stable)
    {
        var byWall = reps.OrderBy(r => r.Seconds).ToArray();
        var median = byWall.Length % 2 == 1
            ? byWall[byWall.Length / 2].Seconds
            : (byWall[(byWall.Length / 2) - 1].Seconds + byWall[byWall.Length / 2].Seconds) / 2;
        var medianRep = byWall[(byWall.Length - 1) / 2];
        var isDefault = n == workload.DefaultN;
        var points = medianRep.Result.Points;
        return new ImplSummary
        {
            Workload = workload,
            Impl = impl.Name,
            Workers = impl.Workers,
            N = n,
            Reps = reps.Count,
            WallSeconds = median,
            MinWallSeconds = byWall[0].Seconds,
            Checksum = medianRep.Result.Checksum,
            StableChecksum = stable,
            ChecksumOk = isDefault ? medianRep.Result.Checksum == workload.ReferenceChecksum : null,
            Points = points,
            PointsOk = isDefault && workload.ReferencePoints.Count > 0 ? points.SequenceEqual(workload.ReferencePoints) : null,
            Report = medianRep.Report,
        };
    }

    private static List<ImplSummary> AddSerialComparison(List<ImplSummary> summaries)
    {
        if (summaries.FirstOrDefault(s => s.Impl == "serial") is not { } serial)
        {
            return summaries;
        }
        return
        [
            .. summaries.Select(s => s with
            {
                Speedup = s.WallSeconds > 0 ? serial.WallSeconds / s.WallSeconds : null,
                MatchesSerial = s.Checksum == serial.Checksum,
            }),
        ];
    }
}
