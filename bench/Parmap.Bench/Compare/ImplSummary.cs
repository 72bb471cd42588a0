using Parmap.Bench.Workloads;

namespace Parmap.Bench.Compare;

/// <summary>The figures of one implementation on one workload over all timed repetitions.</summary>
internal sealed record ImplSummary
{
    public required Workload Workload { get; init; }

    public required string Impl { get; init; }

    public required int Workers { get; init; }

    public required int N { get; init; }

    public required int Reps { get; init; }

    /// <summary>Median wall time over the timed repetitions, in seconds.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Fastest timed repetition, in seconds.</summary>
    public required double MinWallSeconds { get; init; }

    public required long Checksum { get; init; }

    /// <summary>False when two repetitions (warm-up included) gave different checksums.</summary>
    public required bool StableChecksum { get; init; }

    /// <summary>Checksum equals the reference; null when n is not the default size.</summary>
    public required bool? ChecksumOk { get; init; }

    /// <summary>Checksum equals serial's in the same run; null without a serial run.</summary>
    public bool? MatchesSerial { get; init; }

    /// <summary>Serial median wall / this median wall; null without a serial run.</summary>
    public double? Speedup { get; init; }

    /// <summary>Speedup / workers; null without a serial run.</summary>
    public double? Efficiency => Speedup / Workers;

    public required IReadOnlyList<PointValue> Points { get; init; }

    /// <summary>Points equal the reference values; null when there are none or n is not the default size.</summary>
    public required bool? PointsOk { get; init; }

    /// <summary>The run report of the median repetition, for implementations that report (Parmap).</summary>
    public RunReport? Report { get; init; }

    /// <summary>True when no check failed.</summary>
    public bool Ok => StableChecksum && ChecksumOk != false && MatchesSerial != false && PointsOk != false;
}
