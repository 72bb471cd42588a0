namespace Parmap;

/// <summary>What a finished run cost and whether parallelism paid.</summary>
/// <remarks>
/// <see cref="Speedup"/> is the summed busy time of the workers divided by the wall time: the speedup over running the
/// same items one after another in one worker, measured, not predicted. <see cref="Efficiency"/> is speedup per worker.
/// </remarks>
public sealed record RunReport
{
    /// <summary>The executor the items ran on, by its name (<see cref="ExecutorOptions.Name"/>): <c>threads</c>, <c>processes</c>, ...</summary>
    public required string Executor { get; init; }

    /// <summary>Workers used.</summary>
    public required int Workers { get; init; }

    /// <summary>Items that finished successfully.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Items that failed after their retries.</summary>
    public required long Failed { get; init; }

    /// <summary>Item attempts that were retries.</summary>
    public required long Retried { get; init; }

    /// <summary>Items taken from the journal of an earlier run instead of being run again (values and failures); not counted in <see cref="Succeeded"/> or <see cref="Failed"/>. The default is 0.</summary>
    public long Resumed { get; init; }

    /// <summary>Batches run (retries included).</summary>
    public required long Batches { get; init; }

    /// <summary>Mean items per batch.</summary>
    public double MeanBatchSize => Batches == 0 ? 0 : (double)(Succeeded + Failed + Retried) / Batches;

    /// <summary>Batch size the scheduler settled on (the largest it used).</summary>
    public required int BatchSize { get; init; }

    /// <summary>Wall-clock time from the start of the run to its end.</summary>
    public required TimeSpan Wall { get; init; }

    /// <summary>Summed time the workers spent running batches.</summary>
    public required TimeSpan Busy { get; init; }

    /// <summary>True when the run was cancelled or stopped early.</summary>
    public required bool Stopped { get; init; }

    /// <summary>Achieved speedup: busy / wall.</summary>
    public double Speedup => Wall > TimeSpan.Zero ? Busy / Wall : 0;

    /// <summary>Achieved efficiency: speedup / workers (1.0 is perfect).</summary>
    public double Efficiency => Workers > 0 ? Speedup / Workers : 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        var failed = Failed > 0 ? $", {Failed:N0} failed" : "";
        var retried = Retried > 0 ? $", {Retried:N0} retried" : "";
        retried += Resumed > 0 ? $", {Resumed:N0} resumed from the journal" : "";
        var stopped = Stopped ? " (stopped early)" : "";
        var plural = Workers == 1 ? "" : "s";
        return FormattableString.Invariant(
            $"{Succeeded:N0} items{failed}{retried} in {Wall.TotalSeconds:F3} s on {Workers} worker{plural} ({Executor}): speedup {Speedup:F2}x, efficiency {Efficiency * 100:F0}%, batches of ~{MeanBatchSize:N0} (max {BatchSize:N0}){stopped}");
    }
}
