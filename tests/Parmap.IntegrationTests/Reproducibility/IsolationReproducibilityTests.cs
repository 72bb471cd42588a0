namespace Parmap.IntegrationTests.Reproducibility;

/// <summary>Grids and Monte Carlo give bit-identical results on threads and in worker processes.</summary>
public class IsolationReproducibilityTests
{
    private static readonly ParOptions s_processes = new() { Executor = ExecutorOptions.Processes, Workers = 2 };

    [Fact]
    public async Task GridMap_ThreadsAndProcesses_BitIdenticalWithAxes()
    {
        // Given a 2-axis grid of the seed's logistic model
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, 60), Axis.Linspace("b", 0, 1, 50));
        static double Model(GridPoint<double, double> p)
        {
            var r = 3.0 + p.Item1;
            var x = p.Item2;
            for (var s = 0; s < 500; s++)
            {
                x = r * x * (1.0 - x);
            }
            return x;
        }

        // When it is mapped on threads and in worker processes (with small batches: many round trips)
        var onThreads = await Par.Map(grid, Model);
        var inProcesses = await Par.Map(grid, Model, s_processes with { BatchSize = 37 });

        // Then every value has the same bits, and the result keeps its axes
        Assert.Equal(onThreads.Count, inProcesses.Count);
        for (var i = 0; i < onThreads.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(onThreads[i]), BitConverter.DoubleToInt64Bits(inProcesses[i]));
        }
        Assert.Equal(["a", "b"], inProcesses.Axes.Select(a => a.Name));
        Assert.Equal("processes", inProcesses.Report!.Executor);
        Assert.Equal(onThreads.AtPositions(17, 23), inProcesses.At(17 / 59.0, 23 / 49.0));
    }

    [Fact]
    public async Task GridMap_LambdaCapturingValues_RunsInProcesses()
    {
        var grid = Grid.Of(Axis.Range("n", 1, 40), Axis.Values("label", "x", "y"));
        var offset = 1000;
        var suffix = "!";

        var result = await Par.Map(grid, p => $"{p.Item1 + offset}{p.Item2}{suffix}", s_processes);

        Assert.Equal("1001x!", result.AtPositions(0, 0));
        Assert.Equal("1040y!", result.AtPositions(39, 1));
    }

    [Fact]
    public async Task MonteCarlo_ThreadsAndProcesses_BitIdenticalEstimateAndHistogram()
    {
        // Given a seeded Monte Carlo estimate of pi with a histogram
        static double Trial(Rng rng)
        {
            var hits = 0;
            for (var k = 0; k < 200; k++)
            {
                var x = rng.Uniform();
                var y = rng.Uniform();
                hits += x * x + y * y < 1.0 ? 1 : 0;
            }
            return 4.0 * hits / 200;
        }
        var options = new MonteCarloOptions { BlockSize = 100, Histogram = new HistogramOptions(20, 2.5, 3.8) };

        // When it runs on one thread, and in 2 and 3 worker processes with different batch sizes
        var one = await MonteCarlo.Run(20_000, seed: 7, Trial, options with { ParOptions = new ParOptions { Workers = 1 } });
        var two = await MonteCarlo.Run(20_000, seed: 7, Trial, options with { ParOptions = s_processes });
        var three = await MonteCarlo.Run(20_000, seed: 7, Trial, options with { ParOptions = s_processes with { Workers = 3, BatchSize = 3 } });

        // Then mean, variance, interval and histogram have the same bits
        foreach (var other in new[] { two, three })
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(one.Mean), BitConverter.DoubleToInt64Bits(other.Mean));
            Assert.Equal(BitConverter.DoubleToInt64Bits(one.Variance), BitConverter.DoubleToInt64Bits(other.Variance));
            Assert.Equal(one.ToString(), other.ToString());
            Assert.Equal(one.Histogram!.Counts, other.Histogram!.Counts);
            Assert.Equal(one.Count, other.Count);
        }
    }

    [Fact]
    public async Task MonteCarlo_EarlyStopInProcesses_StopsAtTheSameTrialAsOnThreads()
    {
        static double Trial(Rng rng) => rng.Normal(10, 2);
        var options = new MonteCarloOptions { BlockSize = 50, TargetStandardError = 0.05, MinTrials = 100 };

        var onThreads = await MonteCarlo.Run(1_000_000, seed: 3, Trial, options);
        var inProcesses = await MonteCarlo.Run(1_000_000, seed: 3, Trial, options with { ParOptions = s_processes });

        Assert.True(onThreads.StoppedEarly);
        Assert.Equal(onThreads.Count, inProcesses.Count);
        Assert.Equal(BitConverter.DoubleToInt64Bits(onThreads.Mean), BitConverter.DoubleToInt64Bits(inProcesses.Mean));
    }
}
