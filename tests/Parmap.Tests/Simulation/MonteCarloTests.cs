using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Parmap.Tests.Simulation;

public class MonteCarloTests
{
    private static readonly ConcurrentDictionary<string, bool> s_failedOnce = new();

    internal static double PiTrial(Rng rng, int samples)
    {
        var hits = 0;
        for (var k = 0; k < samples; k++)
        {
            var x = rng.Uniform();
            var y = rng.Uniform();
            if ((x * x) + (y * y) < 1.0)
            {
                hits++;
            }
        }
        return 4.0 * hits / samples;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Run_Pi_WithinItsInterval(long seed)
    {
        var pi = await MonteCarlo.Run(4000, seed, rng => PiTrial(rng, 100), new MonteCarloOptions { ConfidenceLevel = 0.999 });

        Assert.Equal(4000, pi.Count);
        Assert.InRange(Math.PI, pi.Lower, pi.Upper);
        Assert.InRange(pi.HalfWidth, 0.005, 0.05);
    }

    [Fact]
    public async Task Run_ManySeeds_CoverageNearNominal()
    {
        // 200 fixed seeds x 200 trials of a uniform (true mean 0.5): a 95% interval should cover about 190 times;
        // the binomial standard deviation is 3.1, so [180, 199] is more than 3 standard deviations wide either way.
        var options = new MonteCarloOptions { BlockSize = 50, ParOptions = new ParOptions { Workers = 2 } };
        var covered = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var e = await MonteCarlo.Run(200, seed, rng => rng.Uniform(), options);
            covered += e.Lower <= 0.5 && 0.5 <= e.Upper ? 1 : 0;
        }

        Assert.InRange(covered, 180, 199);
    }

    [Fact]
    public async Task Run_AnyWorkersAndBatchSize_BitIdentical()
    {
        var options = new MonteCarloOptions { BlockSize = 100, Histogram = new HistogramOptions(20, 2.5, 3.8) };
        var reference = await MonteCarlo.Run(5000, 99, rng => PiTrial(rng, 64), options with { ParOptions = new ParOptions { Workers = 1 } });

        foreach (var (workers, batch, order) in new (int, int?, ResultOrder)[] { (2, null, ResultOrder.Input), (3, 1, ResultOrder.Input), (8, 7, ResultOrder.Input), (8, null, ResultOrder.Input), (2, 1000, ResultOrder.Input), (3, 2, ResultOrder.Completion) })
        {
            var other = await MonteCarlo.Run(5000, 99, rng => PiTrial(rng, 64), options with { ParOptions = new ParOptions { Workers = workers, BatchSize = batch, Order = order } });
            AssertBitIdentical(reference, other);
        }
    }

    [Fact]
    public async Task Run_TrialThrowsOnceWithRetries_BitIdentical()
    {
        var key = Guid.NewGuid().ToString();
        var options = new MonteCarloOptions { BlockSize = 64 };
        var clean = await MonteCarlo.Run(3000, 5, rng => PiTrial(rng, 32), options);

        var retried = await MonteCarlo.Run(3000, 5, rng =>
        {
            if (rng.Trial == 777 && s_failedOnce.TryAdd(key, true))
            {
                throw new InvalidOperationException("transient");
            }
            return PiTrial(rng, 32);
        }, options with { ParOptions = new ParOptions { Workers = 3, Retries = 1 } });

        AssertBitIdentical(clean, retried);
        Assert.True(s_failedOnce.ContainsKey(key));
    }

    [Fact]
    public async Task Run_TrialThrows_ReportsTrialIndex()
    {
        var e = await Assert.ThrowsAsync<TrialFailedException>(() => MonteCarlo.Run(1000, 8, rng => rng.Trial == 321 ? throw new ArithmeticException("boom") : 1.0));

        Assert.Equal(321, e.Trial);
        Assert.Equal(8, e.Seed);
        Assert.IsType<ArithmeticException>(e.InnerException);
        Assert.Contains("Monte Carlo trial 321 (seed 8) failed: ArithmeticException: boom", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TrialsReturnNaN_CountedWithTheFirstTrialForAnyWorkers()
    {
        // Trials 1234, 5000 and 9999 hit a case the model does not handle (a log of a negative number)
        static double Trial(Rng rng) => rng.Trial is 1234 or 5000 or 9999 ? Math.Log(-1) : rng.Uniform();

        var one = await MonteCarlo.Run(20_000, 7, Trial, new MonteCarloOptions { ParOptions = new() { Workers = 1 } });
        var two = await MonteCarlo.Run(20_000, 7, Trial, new MonteCarloOptions { ParOptions = new() { Workers = 2, BatchSize = 1 }, BlockSize = 300 });

        foreach (var estimate in new[] { one, two })
        {
            Assert.Equal(3, estimate.NonFinite);
            Assert.Equal(1234, estimate.FirstNonFiniteTrial);
            Assert.True(double.IsNaN(estimate.Mean));
            Assert.Contains("3 trials returned NaN or infinity, the first trial 1234 (rerun it with new Rng(7, 1234))", estimate.ToString(), StringComparison.Ordinal);
        }
        var fine = await MonteCarlo.Run(1_000, 7, rng => rng.Uniform());
        Assert.Equal(0, fine.NonFinite);
        Assert.Null(fine.FirstNonFiniteTrial);
        Assert.DoesNotContain("NaN", fine.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TargetStandardError_StopsAtSameTrialForAnyWorkers()
    {
        var options = new MonteCarloOptions { TargetStandardError = 0.01, BlockSize = 100 };
        var one = await MonteCarlo.Run(1_000_000, 3, rng => PiTrial(rng, 16), options with { ParOptions = new ParOptions { Workers = 1 } });

        Assert.True(one.StoppedEarly);
        Assert.True(one.StandardError <= 0.01);
        Assert.Equal(0, one.Count % 100);
        Assert.True(one.Count < 1_000_000);
        foreach (var workers in new[] { 2, 3, 8 })
        {
            var other = await MonteCarlo.Run(1_000_000, 3, rng => PiTrial(rng, 16), options with { ParOptions = new ParOptions { Workers = workers, BatchSize = workers == 3 ? 5 : null } });
            AssertBitIdentical(one, other);
        }

        // The stopping block's estimate is exactly that of a fixed run of as many trials.
        var fixedRun = await MonteCarlo.Run(one.Count, 3, rng => PiTrial(rng, 16), new MonteCarloOptions { BlockSize = 100 });
        Assert.Equal(one.Mean, fixedRun.Mean);
        Assert.Equal(one.Variance, fixedRun.Variance);
        Assert.False(fixedRun.StoppedEarly);
    }

    [Fact]
    public async Task Run_TargetRelativeError_StopsOnceReached()
    {
        var e = await MonteCarlo.Run(1_000_000, 4, rng => rng.Normal(10, 1), new MonteCarloOptions { TargetRelativeError = 0.001, BlockSize = 500 });

        Assert.True(e.StoppedEarly);
        Assert.True(e.StandardError <= 0.001 * Math.Abs(e.Mean));
        var previous = e.Convergence[^2];
        Assert.True((previous.Upper - previous.Mean) / Estimate.Z(0.95) > 0.001 * Math.Abs(previous.Mean), "it stopped at the first block that met the target");
    }

    [Fact]
    public async Task Run_TargetNeverReached_UsesWholeBudget()
    {
        var e = await MonteCarlo.Run(2000, 4, rng => rng.Uniform(), new MonteCarloOptions { TargetStandardError = 1e-9 });

        Assert.False(e.StoppedEarly);
        Assert.Equal(2000, e.Count);
    }

    [Fact]
    public async Task Run_VectorTrials_OneEstimatePerStatistic()
    {
        var estimates = await MonteCarlo.Run(4000, 6, rng =>
        {
            var x = rng.Normal();
            return new[] { x, x * x };
        }, new MonteCarloOptions { Names = ["mean", "square"], Histogram = new HistogramOptions(10, -3, 3) });

        Assert.Equal(["mean", "square"], estimates.Select(e => e.Name));
        Assert.InRange(0.0, estimates[0].Lower, estimates[0].Upper);
        Assert.InRange(1.0, estimates[1].Lower, estimates[1].Upper);
        Assert.All(estimates, e => Assert.Equal(4000, e.Histogram!.Total));
    }

    [Fact]
    public async Task Run_VectorTrialsOfChangingLength_FailNamingTrial()
    {
        var e = await Assert.ThrowsAsync<TrialFailedException>(() => MonteCarlo.Run(100, 1, rng => rng.Trial == 10 ? new double[3] : new double[2]));

        Assert.Equal(10, e.Trial);
        Assert.Contains("returned 3 statistics, earlier trials 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Histogram_CountsEveryTrialExactly()
    {
        var e = await MonteCarlo.Run(1000, 2, rng => rng.Integer(0, 10), new MonteCarloOptions { Histogram = new HistogramOptions(5, 0, 8) });

        var h = e.Histogram!;
        Assert.Equal(5, h.Counts.Count);
        Assert.Equal(1000, h.Total);
        Assert.True(h.Overflow > 0);
        Assert.Equal(0, h.Underflow);
        Assert.Equal(1.6, h.BinWidth, 12);
    }

    [Fact]
    public async Task Run_Convergence_OnePointPerBlockEndingAtEstimate()
    {
        var e = await MonteCarlo.Run(1050, 2, rng => rng.Uniform(), new MonteCarloOptions { BlockSize = 100 });

        Assert.Equal(11, e.Convergence.Count);
        Assert.Equal([100L, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1050], e.Convergence.Select(c => c.Trials));
        Assert.Equal(e.Mean, e.Convergence[^1].Mean);
        Assert.Equal(e.Upper, e.Convergence[^1].Upper, 14);
    }

    [Fact]
    public async Task ToString_ShowsMeanIntervalAndTrials()
    {
        var e = await MonteCarlo.Run(100_000, 42, rng => PiTrial(rng, 10));

        Assert.Matches(new Regex(@"^3\.1\d+ ± 0\.00\d \(95% CI\), 100000 trials$"), e.ToString());
    }

    [Fact]
    public void RunSync_SameAsRun()
    {
        var sync = MonteCarlo.RunSync(500, 1, rng => rng.Uniform());

        Assert.Equal(500, sync.Count);
        Assert.InRange(sync.Mean, 0.4, 0.6);
    }

    [Theory]
    [InlineData(0L, "at least 1 trial")]
    [InlineData(-5L, "at least 1 trial")]
    public async Task Run_BadTrials_Throws(long trials, string message)
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MonteCarlo.Run(trials, 1, rng => 1.0));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadOptions_ThrowNamingOption()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("ConfidenceLevel", () => MonteCarlo.Run(10, 1, rng => 1.0, new MonteCarloOptions { ConfidenceLevel = 1 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("BlockSize", () => MonteCarlo.Run(10, 1, rng => 1.0, new MonteCarloOptions { BlockSize = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("TargetStandardError", () => MonteCarlo.Run(10, 1, rng => 1.0, new MonteCarloOptions { TargetStandardError = -1 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("Bins", () => MonteCarlo.Run(10, 1, rng => 1.0, new MonteCarloOptions { Histogram = new HistogramOptions(0, 0, 1) }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("Max", () => MonteCarlo.Run(10, 1, rng => 1.0, new MonteCarloOptions { Histogram = new HistogramOptions(3, 1, 1) }));
    }

    private static void AssertBitIdentical(Estimate expected, Estimate actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Mean), BitConverter.DoubleToInt64Bits(actual.Mean));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Variance), BitConverter.DoubleToInt64Bits(actual.Variance));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Lower), BitConverter.DoubleToInt64Bits(actual.Lower));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Upper), BitConverter.DoubleToInt64Bits(actual.Upper));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Sum), BitConverter.DoubleToInt64Bits(actual.Sum));
        Assert.Equal(expected.StoppedEarly, actual.StoppedEarly);
        Assert.Equal(expected.Convergence, actual.Convergence);
        Assert.Equal(expected.Histogram?.Counts, actual.Histogram?.Counts);
        Assert.Equal(expected.Histogram?.Underflow, actual.Histogram?.Underflow);
        Assert.Equal(expected.Histogram?.Overflow, actual.Histogram?.Overflow);
        Assert.Equal(expected.ToString(), actual.ToString());
    }
}
