using System.Collections;
using System.Runtime.ExceptionServices;

namespace Parmap;

/// <summary>
/// Monte Carlo simulation on every core, reproducible to the last bit:
/// <c>var pi = await MonteCarlo.Run(100_000, seed: 42, rng => 4.0 * Hits(rng, 1000) / 1000);</c>
/// </summary>
/// <remarks>
/// <para>Trial t draws from its own <see cref="Rng"/>, derived from (seed, t) only. Trials run in fixed blocks of
/// <see cref="MonteCarloOptions.BlockSize"/>; each block accumulates its trials in trial order, and the run merges the blocks
/// in block order. So the estimate — mean, variance, interval, histogram, and the stopping point of an early stop — is
/// bit-identical for any number of workers, any batch size, and with retries.</para>
/// <para>Early stop (<see cref="MonteCarloOptions.TargetStandardError"/>, <see cref="MonteCarloOptions.TargetRelativeError"/>)
/// is checked after each block in block order, so the run stops after the same trial every time; the trial budget caps it.</para>
/// </remarks>
public static class MonteCarlo
{
    /// <summary>Runs <paramref name="trials"/> trials of <paramref name="trial"/> and estimates the mean of its value.</summary>
    /// <param name="trials">Number of trials: the budget when an early-stop target is set.</param>
    /// <param name="seed">The seed: with the trial index, it alone decides each trial's random stream.</param>
    /// <param name="trial">One trial: draws from its <see cref="Rng"/> and returns a value. Must be safe to run on several threads at once (each trial has its own Rng).</param>
    /// <param name="options">Confidence level, early stop, histogram, parallelism; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is below 1, or an option is invalid.</exception>
    /// <exception cref="TrialFailedException">A trial threw (after the retries of its block).</exception>
    public static async Task<Estimate> Run(long trials, long seed, Func<Rng, double> trial, MonteCarloOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var estimates = await RunCore(trials, seed, 1, (rng, m) => m.Add(0, trial(rng)), trial.Method, options, cancellationToken).ConfigureAwait(false);
        return estimates[0];
    }

    /// <summary>Runs <paramref name="trials"/> vector-valued trials (several statistics per trial) and estimates the mean of each statistic.</summary>
    /// <param name="trials">Number of trials: the budget when an early-stop target is set (which then must hold for every statistic).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="trial">One trial: returns one value per statistic, the same number every time.</param>
    /// <param name="options">Options; <see cref="MonteCarloOptions.Names"/> names the statistics.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One estimate per statistic, in order.</returns>
    /// <exception cref="TrialFailedException">A trial threw, or returned a different number of statistics.</exception>
    public static async Task<IReadOnlyList<Estimate>> Run(long trials, long seed, Func<Rng, double[]> trial, MonteCarloOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return await RunCore(trials, seed, 0, (rng, m) =>
        {
            var values = trial(rng) ?? throw new InvalidOperationException("The trial returned null instead of an array of statistics.");
            m.EnsureStatistics(values.Length, rng.Trial);
            for (var s = 0; s < values.Length; s++)
            {
                m.Add(s, values[s]);
            }
        }, trial.Method, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Synchronous twin of <see cref="Run(long, long, Func{Rng, double}, MonteCarloOptions?, CancellationToken)"/>.</summary>
    /// <inheritdoc cref="Run(long, long, Func{Rng, double}, MonteCarloOptions?, CancellationToken)"/>
    public static Estimate RunSync(long trials, long seed, Func<Rng, double> trial, MonteCarloOptions? options = null, CancellationToken cancellationToken = default) =>
        Run(trials, seed, trial, options, cancellationToken).GetAwaiter().GetResult();

    private static async Task<Estimate[]> RunCore(long trials, long seed, int statistics, Action<Rng, Moments> body, System.Reflection.MethodInfo costKey, MonteCarloOptions? options, CancellationToken cancellationToken)
    {
        options ??= MonteCarloOptions.Default;
        options.Validate();
        if (trials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, "A Monte Carlo run needs at least 1 trial.");
        }
        var blockSize = options.BlockSize;
        var blocks = (trials + blockSize - 1) / blockSize;
        if (blocks > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), trials, $"{trials:N0} trials in blocks of {blockSize:N0} make more than {Array.MaxLength:N0} blocks; raise MonteCarloOptions.BlockSize.");
        }
        // Blocks are merged in block order whatever the caller asked for: that order is what makes the estimate reproducible.
        var parOptions = options.ParOptions with { Order = ResultOrder.Input };
        if (options.StopsEarly && parOptions.MaxInFlight is null)
        {
            // Few blocks ahead of the merge: an early stop then wastes at most a couple of blocks per worker.
            parOptions = parOptions with { MaxInFlight = 4 * parOptions.ResolveWorkers() };
        }
        var histogram = options.Histogram;
        // The loop over a block's trials runs millions of times: compiled optimized at once rather than tiered (a fresh
        // worker process would otherwise run it unoptimized through much of its first map).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        Moments RunBlock(int block, CancellationToken token)
        {
            var first = (long)block * blockSize;
            var end = Math.Min(trials, first + blockSize);
            var moments = new Moments(statistics, histogram);
            var rng = new Rng(seed, first);
            for (var t = first; t < end; t++)
            {
                token.ThrowIfCancellationRequested();
                rng.Reset(t);
                try
                {
                    body(rng, moments);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new TrialFailedException(t, seed, e);
                }
                moments.Next();
            }
            return moments;
        }

        var merged = new Moments(statistics, histogram);
        var series = new List<(long Trials, double[] Mean, double[] M2)>();
        var stopped = false;
        try
        {
            var request = new Running.RunRequest<int, Moments>(new BlockIndices((int)blocks), Executors.WorkFunction<int, Moments>.From(RunBlock), parOptions, cancellationToken)
            {
                UserMethod = costKey,
            };
            await foreach (var block in Par.Stream(request).ConfigureAwait(false))
            {
                merged.Merge(block);
                series.Add((merged.Count, (double[])merged.Mean.Clone(), (double[])merged.M2.Clone()));
                if (options.StopsEarly && merged.Count < trials && options.Reached(merged))
                {
                    stopped = true;
                    break;
                }
            }
        }
        catch (ItemFailedException e) when (e.InnerException is TrialFailedException trialFailed)
        {
            ExceptionDispatchInfo.Throw(trialFailed);
        }
        var z = Estimate.Z(options.ConfidenceLevel);
        var estimates = new Estimate[merged.Statistics];
        for (var s = 0; s < estimates.Length; s++)
        {
            var convergence = new ConvergencePoint[series.Count];
            for (var k = 0; k < series.Count; k++)
            {
                var (n, mean, m2) = series[k];
                var half = n > 1 ? z * Math.Sqrt(m2[s] / (n - 1) / n) : double.NaN;
                convergence[k] = new ConvergencePoint(n, mean[s], mean[s] - half, mean[s] + half);
            }
            var name = options.Names is { } names && s < names.Count ? names[s] : null;
            estimates[s] = new Estimate(name, merged, s, options.ConfidenceLevel, seed, stopped, convergence, histogram);
        }
        return estimates;
    }

    /// <summary>The block numbers 0 .. count - 1 as an indexable list (split between workers without locks, no array).</summary>
    private sealed class BlockIndices(int count) : IReadOnlyList<int>
    {
        public int Count => count;

        public int this[int index] => index;

        public IEnumerator<int> GetEnumerator() => Enumerable.Range(0, count).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
