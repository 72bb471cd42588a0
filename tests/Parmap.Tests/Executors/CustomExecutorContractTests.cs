using Parmap.Samples.CustomExecutor;

namespace Parmap.Tests.Executors;

/// <summary>The executor contract against the sample executor written outside Parmap with its public contract only.</summary>
public sealed class CustomExecutorContractTests : ExecutorContractTests
{
    protected override ParOptions Options { get; } = new() { Executor = new LoggingThreadsOptions(), Workers = 3 };
}

/// <summary>The sample executor really runs the batches (the results are not the thread executor's in disguise).</summary>
public sealed class CustomExecutorTests
{
    [Fact]
    public async Task Map_OnCustomExecutor_EveryItemRanThroughItsBatchesAndReportNamesIt()
    {
        // Given the sample executor, which logs every batch it runs
        var log = new StringWriter();
        var custom = new LoggingThreadsOptions { Log = TextWriter.Synchronized(log) };

        // When a map of 10,000 items runs on it
        var result = await Par.MapOutcomes(Enumerable.Range(0, 10_000).ToArray(), x => x + 1, new ParOptions { Executor = custom, Workers = 2 });

        // Then every item went through its batches, and the report names it
        Assert.Equal(Enumerable.Range(1, 10_000), result.Values());
        Assert.Equal(10_000, custom.Counter.Items);
        Assert.Equal(result.Report.Batches, custom.Counter.Batches);
        Assert.Equal("logging-threads", result.Report.Executor);
        Assert.Contains("lane 0 on thread", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GridAndMonteCarlo_OnCustomExecutor_EqualToThreadExecutor()
    {
        var custom = new ParOptions { Executor = new LoggingThreadsOptions(), Workers = 3 };
        var threads = new ParOptions { Workers = 3 };
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, 50), Axis.Linspace("b", 0, 1, 40));

        var mine = await Par.Map(grid, p => (p.Item1 * 7) + p.Item2, custom);
        var theirs = await Par.Map(grid, p => (p.Item1 * 7) + p.Item2, threads);
        var piMine = await MonteCarlo.Run(5_000, 7, rng => rng.Uniform(), new MonteCarloOptions { ParOptions = custom });
        var piTheirs = await MonteCarlo.Run(5_000, 7, rng => rng.Uniform(), new MonteCarloOptions { ParOptions = threads });

        Assert.True(mine.Values.SequenceEqual(theirs.Values));
        Assert.Equal(piTheirs.Mean, piMine.Mean);
        Assert.Equal(piTheirs.Variance, piMine.Variance);
    }
}
