namespace Parmap.Advising;

/// <summary>
/// Times the function serially on a sample of the inputs and predicts what a parallel run would save.
/// The model: parallel wall = serial / workers + start-up + per-item scheduling cost + the tail (the slowest item can
/// leave the other workers idle at the end). The thread executor's costs were measured by the benchmarks (bench/RESULTS.md).
/// </summary>
internal static class Advisor
{
    private const int MaxSample = 64;
    private const double ThreadStartupSeconds = 1e-3;
    private const double PerItemOverheadSeconds = 10e-9;
    private const double MinimumSavingSeconds = 0.05;

    public static async Task<Parmap.Advice> AdviseAsync<TIn, TOut>(
        IEnumerable<TIn> inputs, Func<TIn, CancellationToken, ValueTask<TOut>> f, System.Reflection.MethodInfo key, ParOptions options, TimeSpan budget, CancellationToken cancellationToken)
    {
        var (sample, count) = Sample(inputs);
        if (sample.Count == 0)
        {
            return Verdict(0, TimeSpan.Zero, TimeSpan.Zero, count, options.ResolveWorkers(), "There are no inputs: nothing to parallelize.");
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
        return Verdict(times.Count, mean, slowest, count, options.ResolveWorkers(), null);
    }

    private static Parmap.Advice Verdict(int sampled, TimeSpan mean, TimeSpan slowest, long? count, int workers, string? reason)
    {
        var item = mean.TotalSeconds;
        TimeSpan? serial = count is { } n ? TimeSpan.FromSeconds(item * n) : null;
        TimeSpan? parallel = count is { } m
            ? TimeSpan.FromSeconds((item * m / workers) + ThreadStartupSeconds + (PerItemOverheadSeconds * m) + (workers > 1 ? slowest.TotalSeconds : 0))
            : null;
        var speedup = serial is { } se && parallel is { } pa
            ? se / pa
            : item > 0 ? workers * (item / (item + PerItemOverheadSeconds)) : 1;
        var worth = reason is null && workers > 1 && speedup > 1.2 && (serial is not { } total || (total - parallel!.Value).TotalSeconds > MinimumSavingSeconds);
        reason ??= Explain(sampled, mean, count, workers, serial, parallel, speedup, worth);
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

    private static string Explain(int sampled, TimeSpan mean, long? count, int workers, TimeSpan? serial, TimeSpan? parallel, double speedup, bool worth)
    {
        var item = FormattableString.Invariant($"{mean.TotalMicroseconds:N1} us per item (timed on {sampled} inputs)");
        if (workers == 1)
        {
            return $"Not worth it: only one worker is available; {item}.";
        }
        if (serial is not { } s || parallel is not { } p)
        {
            return FormattableString.Invariant($"{(worth ? "Worth it" : "Not worth it")}: {item}; predicted speedup {speedup:F2}x on {workers} workers (the number of inputs is unknown, so no totals).");
        }
        var verdict = worth ? "Worth it" : "Not worth it";
        return FormattableString.Invariant(
            $"{verdict}: {item}, {count:N0} inputs: serial ~{Seconds(s)}, on {workers} threads ~{Seconds(p)} (predicted speedup {speedup:F2}x, saves {Seconds(s - p)}).");
    }

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
