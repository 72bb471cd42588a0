namespace Parmap.Advising;

/// <summary>
/// Times the function serially on a sample of the inputs and predicts what a parallel run would save.
/// The model: parallel wall = serial / workers x transport factor + start-up + per-item scheduling cost + the tail (the
/// slowest item can leave the other workers idle at the end). The executors' costs were measured by the benchmarks
/// (bench/RESULTS.md, commands cold and smallmaps) on the project's 2-core machine.
/// </summary>
internal static class Advisor
{
    private const int MaxSample = 64;
    private const double ThreadStartupSeconds = 0.1e-3;
    private const double PerItemOverheadSeconds = 10e-9;
    private const double MinimumSavingSeconds = 0.05;

    /// <summary>A program's first map on 2 worker processes paid ~0.35 s before its first result (measured: bench cold, 'trivial').</summary>
    private const double ColdProcessStartSeconds = 0.35;

    /// <summary>A later map on warm workers: ~5 ms (shipping the function, the first round trips).</summary>
    private const double WarmProcessStartSeconds = 5e-3;

    /// <summary>Batches of ~15 ms with a round trip of tens of microseconds: about 1% on top of the items.</summary>
    private const double ProcessTransportFactor = 1.01;

    public static async Task<Parmap.Advice> AdviseAsync<TIn, TOut>(
        IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, System.Reflection.MethodInfo key, ParOptions options, TimeSpan budget, CancellationToken cancellationToken)
    {
        var (sample, count) = Sample(inputs);
        var workers = options.Workers ?? options.Executor.DefaultWorkers ?? options.ResolveWorkers();
        if (sample.Count == 0)
        {
            return Verdict(0, TimeSpan.Zero, TimeSpan.Zero, count, workers, "There are no inputs: nothing to parallelize.", CostsOf(options.Executor, workers));
        }
        // The first call pays for JIT compilation and cold caches; it is not representative of the run.
        await f(sample[0], cancellationToken).ConfigureAwait(false);
        var times = new List<TimeSpan>();
        var time = options.TimeProvider;
        var clock = time.GetTimestamp();
        foreach (var input in sample)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t0 = time.GetTimestamp();
            await f(input, cancellationToken).ConfigureAwait(false);
            times.Add(time.GetElapsedTime(t0));
            if (time.GetElapsedTime(clock) > budget)
            {
                break;
            }
        }
        var mean = TimeSpan.FromTicks((long)times.Average(t => t.Ticks));
        // The serial baseline of later runs of this function in worker processes, whose reports cannot measure one.
        Scheduling.ItemCosts.RememberSerial(key, mean.TotalSeconds, "per-item time measured by Par.Advise in this process");
        var slowest = times.Max();
        return Verdict(times.Count, mean, slowest, count, workers, null, CostsOf(options.Executor, workers));
    }

    /// <summary>What running on <paramref name="executor"/> adds to the items' own time.</summary>
    private static ExecutorCosts CostsOf(ExecutorOptions executor, int workers)
    {
        if (executor.InProcess)
        {
            return new($"{workers} threads", ThreadStartupSeconds, 1.0, null, IsThreads: true);
        }
        var pooled = executor is Running.PoolExecutorOptions;
        if (executor is ProcessOptions || (executor is Running.PoolExecutorOptions { Inner: ProcessOptions }))
        {
            var warm = pooled || Executors.Processes.WorkerPark.Count >= workers;
            return warm
                ? new($"{workers} worker processes", WarmProcessStartSeconds, ProcessTransportFactor, "warm workers", IsThreads: false)
                : new($"{workers} worker processes", ColdProcessStartSeconds, ProcessTransportFactor,
                    FormattableString.Invariant($"~{ColdProcessStartSeconds:F2} s to start them (a program's first map on processes; later maps reuse them warm)"), IsThreads: false);
        }
        return new($"{workers} workers ({executor.Name})", 0, 1.0, "not counting the executor's start-up", IsThreads: false);
    }

    private static Parmap.Advice Verdict(int sampled, TimeSpan mean, TimeSpan slowest, long? count, int workers, string? reason, ExecutorCosts costs)
    {
        var item = mean.TotalSeconds;
        TimeSpan? serial = count is { } n ? TimeSpan.FromSeconds(item * n) : null;
        TimeSpan? parallel = count is { } m ? Parallel(item, m, workers, slowest, costs) : null;
        var speedup = serial is { } se && parallel is { } pa
            ? se / pa
            : item > 0 ? workers * (item / ((item * costs.ItemFactor) + PerItemOverheadSeconds)) : 1;
        var worth = reason is null && workers > 1 && speedup > 1.2 && (serial is not { } total || (total - parallel!.Value).TotalSeconds > MinimumSavingSeconds);
        var onThreads = costs.IsThreads || count is not { } c ? null : (TimeSpan?)Parallel(item, c, workers, slowest, CostsOf(ExecutorOptions.Threads, workers));
        reason ??= Explain(sampled, mean, count, workers, serial, parallel, speedup, worth, costs, onThreads);
        return new Parmap.Advice
        {
            SampledItems = sampled,
            PerItem = mean,
            SlowestItem = slowest,
            Items = count,
            SerialEstimate = serial,
            Workers = workers,
            ParallelEstimate = parallel,
            PredictedSpeedup = speedup,
            WorthIt = worth,
            Reason = reason,
        };
    }

    private static TimeSpan Parallel(double item, long count, int workers, TimeSpan slowest, ExecutorCosts costs) =>
        TimeSpan.FromSeconds((item * count / workers * costs.ItemFactor) + costs.StartUpSeconds + (PerItemOverheadSeconds * count) + (workers > 1 ? slowest.TotalSeconds : 0));

    private static string Explain(int sampled, TimeSpan mean, long? count, int workers, TimeSpan? serial, TimeSpan? parallel, double speedup, bool worth, ExecutorCosts costs, TimeSpan? onThreads)
    {
        var item = FormattableString.Invariant($"{mean.TotalMicroseconds:N1} us per item (timed on {sampled} inputs)");
        if (workers == 1)
        {
            return $"Not worth it: only one worker is available; {item}.";
        }
        if (serial is not { } s || parallel is not { } p)
        {
            return FormattableString.Invariant($"{(worth ? "Worth it" : "Not worth it")}: {item}; predicted speedup {speedup:F2}x on {costs.Where} (the number of inputs is unknown, so no totals).");
        }
        var verdict = worth ? "Worth it" : "Not worth it";
        var start = costs.StartUpNote is { } note ? $", including {note}" : "";
        var text = FormattableString.Invariant(
            $"{verdict}: {item}, {count:N0} inputs: serial ~{Seconds(s)}, on {costs.Where} ~{Seconds(p)}{start} (predicted speedup {speedup:F2}x, saves {Seconds(s - p)}).");
        if (onThreads is { } t)
        {
            text += FormattableString.Invariant($" On {workers} threads: ~{Seconds(t)}");
            text += t < p * 0.9 ? "; use threads (the default) unless the code needs a process of its own (it crashes, leaks, or is not thread-safe)." : ".";
        }
        return text;
    }

    /// <summary>What an executor adds to the items' own time: start-up, and a factor for moving batches.</summary>
    private readonly record struct ExecutorCosts(string Where, double StartUpSeconds, double ItemFactor, string? StartUpNote, bool IsThreads);

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1
        ? FormattableString.Invariant($"{t.TotalSeconds:N1} s")
        : FormattableString.Invariant($"{t.TotalMilliseconds:N1} ms");

    /// <summary>Up to <see cref="MaxSample"/> inputs spread over the whole input when it is indexable (items often get slower along a sweep), else the first ones.</summary>
    private static (List<TIn> Sample, long? Count) Sample<TIn>(IEnumerable<TIn> inputs)
    {
        if (inputs is IReadOnlyList<TIn> list)
        {
            var n = list.Count;
            var k = Math.Min(n, MaxSample);
            var sample = new List<TIn>(k);
            for (var j = 0; j < k; j++)
            {
                sample.Add(list[(int)((long)j * n / k)]);
            }
            return (sample, n);
        }
        var count = inputs.TryGetNonEnumeratedCount(out var c) ? c : (long?)null;
        return ([.. inputs.Take(MaxSample)], count);
    }
}
