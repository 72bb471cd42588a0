using System.Globalization;

namespace Parmap;

/// <summary>What a finished run cost, measured, and whether parallelism paid.</summary>
/// <remarks>
/// <para>Measured: <see cref="Wall"/>, <see cref="ItemTime"/> (time inside the function, where it ran),
/// <see cref="StartUp"/>, <see cref="Busy"/> (time batches took from the scheduler's view: items plus transport),
/// <see cref="CpuWait"/> (time items waited for a CPU that other processes held), <see cref="IdleTail"/>.</para>
/// <para><see cref="Speedup"/> is stated only against a serial baseline (<see cref="SerialEstimate"/>, with its
/// <see cref="SerialBasis"/>): a per-item time measured in this process with the items running alone, by
/// <c>Par.Advise</c> or by an earlier map of the same function that ran them one at a time (its items after the first
/// 0.25 s, past the runtime's quick first compilation). Without one the report gives
/// <see cref="Parallelism"/>: how many items were on a CPU at once on average. That is measured, but it is not a speedup:
/// items can run slower side by side than alone (cores share caches, memory bandwidth, or a physical core).</para>
/// </remarks>
public sealed record RunReport
{
    /// <summary>The executor the items ran on, by its name (<see cref="ExecutorOptions.Name"/>): <c>threads</c>, <c>processes</c>, ...</summary>
    public required string Executor { get; init; }

    /// <summary>Workers used (1 when the map ran inline on the calling thread).</summary>
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

    /// <summary>Summed time the scheduler's lanes waited for batches to come back: the items' time plus everything around them (sending, serializing, a worker starting).</summary>
    public required TimeSpan Busy { get; init; }

    /// <summary>Summed time inside the function, measured where the items ran (in worker processes, by the workers). The default is zero.</summary>
    public TimeSpan ItemTime { get; init; }

    /// <summary>Time from the start of the run until the first batch came back, less that batch's item time: starting the executor (for worker processes, starting and connecting them). The default is zero.</summary>
    public TimeSpan StartUp { get; init; }

    /// <summary>Summed time items spent ready to run but waiting for a CPU (other processes, or more threads than cores, held them). Measured on Linux; zero elsewhere. The default is zero.</summary>
    public TimeSpan CpuWait { get; init; }

    /// <summary>Summed time the lanes sat idle at the end of the run while others finished their last batches. The default is zero.</summary>
    public TimeSpan IdleTail { get; init; }

    /// <summary>Busy time that was not item time: sending and serializing batches, results and errors (worker processes, cluster nodes). Derived: <see cref="Busy"/> - <see cref="ItemTime"/> - <see cref="StartUp"/>, at least zero.</summary>
    public TimeSpan Transport
    {
        get
        {
            var t = Busy - ItemTime - StartUp;
            return t > TimeSpan.Zero ? t : TimeSpan.Zero;
        }
    }

    /// <summary>True when the map was too small to be worth splitting: every item ran on the calling thread (measured within the call). The default is <see langword="false"/>.</summary>
    public bool RanInline { get; init; }

    /// <summary>How long the same items would take one after another, when a baseline exists (see <see cref="SerialBasis"/>); <see langword="null"/> otherwise.</summary>
    public TimeSpan? SerialEstimate { get; init; }

    /// <summary>Where <see cref="SerialEstimate"/> comes from, in words; <see langword="null"/> without one.</summary>
    public string? SerialBasis { get; init; }

    /// <summary>True when the run was cancelled or stopped early.</summary>
    public required bool Stopped { get; init; }

    /// <summary>Items each worker ran, by name, when the executor tells (the nodes of a cluster); otherwise null.</summary>
    public IReadOnlyDictionary<string, long>? ItemsByWorker { get; init; }

    /// <summary>Achieved speedup over running the same items one after another: <see cref="SerialEstimate"/> / <see cref="Wall"/>; <see langword="null"/> without a serial baseline.</summary>
    public double? Speedup => SerialEstimate is { } serial && Wall > TimeSpan.Zero ? serial / Wall : null;

    /// <summary>Speedup per worker (1.0 is perfect); <see langword="null"/> without a serial baseline.</summary>
    public double? Efficiency => Speedup is { } s && Workers > 0 ? s / Workers : null;

    /// <summary>How many items were on a CPU at once on average: (<see cref="ItemTime"/> - <see cref="CpuWait"/>) / <see cref="Wall"/>. Measured, but not a speedup: items may run slower side by side than alone.</summary>
    public double Parallelism => Wall > TimeSpan.Zero ? (ItemTime - CpuWait) / Wall : 0;

    /// <summary><see cref="Parallelism"/> per worker: the share of the workers' time spent in items.</summary>
    public double Utilization => Workers > 0 ? Parallelism / Workers : 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        var counts = Succeeded.ToString("N0", CultureInfo.InvariantCulture) + " items";
        counts += Failed > 0 ? FormattableString.Invariant($", {Failed:N0} failed") : "";
        counts += Retried > 0 ? FormattableString.Invariant($", {Retried:N0} retried") : "";
        counts += Resumed > 0 ? FormattableString.Invariant($", {Resumed:N0} resumed from the journal") : "";
        var stopped = Stopped ? " (stopped early)" : "";
        if (RanInline)
        {
            return FormattableString.Invariant($"{counts} in {Seconds(Wall)} inline on the calling thread: too small to split ({Seconds(ItemTime)} of work){stopped}");
        }
        var plural = Workers == 1 ? "" : "s";
        var text = FormattableString.Invariant($"{counts} in {Seconds(Wall)} on {Workers} worker{plural} ({Executor}): ");
        text += Speedup is { } speedup
            ? FormattableString.Invariant($"speedup {speedup:F2}x, efficiency {Efficiency * 100:F0}% (serial ~{Seconds(SerialEstimate!.Value)}: {SerialBasis})")
            : FormattableString.Invariant($"parallelism {Parallelism:F2} of {Workers} (items on a CPU at once on average; a speedup needs a serial baseline: Par.Advise measures one)");
        var costs = new List<string>();
        if (StartUp >= TimeSpan.FromMilliseconds(1))
        {
            costs.Add($"start-up {Seconds(StartUp)}");
        }
        if (Transport >= TimeSpan.FromMilliseconds(1) && Transport > 0.01 * Busy)
        {
            costs.Add($"transport {Seconds(Transport)}");
        }
        if (CpuWait >= TimeSpan.FromMilliseconds(1) && CpuWait > 0.02 * ItemTime)
        {
            costs.Add($"items waited {Seconds(CpuWait)} for a CPU (other processes were running)");
        }
        costs.Add(FormattableString.Invariant($"batches of ~{MeanBatchSize:N0} (max {BatchSize:N0})"));
        if (ItemsByWorker is { Count: > 0 } byWorker)
        {
            costs.Add("items per worker: " + string.Join(", ", byWorker.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => FormattableString.Invariant($"{w.Key} {w.Value:N0}"))));
        }
        return text + "; " + string.Join(", ", costs) + stopped;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 0.1
        ? t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) + " s"
        : t.TotalMilliseconds.ToString(t.TotalMilliseconds >= 1 ? "F1" : "F3", CultureInfo.InvariantCulture) + " ms";
}
