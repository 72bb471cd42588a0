namespace Parmap.Tests;

public class RunReportTests
{
    private static readonly RunReport s_run = new()
    {
        Executor = "processes",
        Workers = 2,
        Succeeded = 2_000,
        Failed = 0,
        Retried = 0,
        Batches = 150,
        BatchSize = 15,
        Wall = TimeSpan.FromSeconds(1.5),
        Busy = TimeSpan.FromSeconds(2.9),
        ItemTime = TimeSpan.FromSeconds(2.5),
        StartUp = TimeSpan.FromSeconds(0.3),
        CpuWait = TimeSpan.FromSeconds(0.1),
        Stopped = false,
    };

    [Fact]
    public void ToString_NoBaseline_ParallelismAndCostsButNoSpeedup()
    {
        var text = s_run.ToString();

        Assert.Null(s_run.Speedup);
        Assert.Equal(1.6, s_run.Parallelism, 6);
        Assert.Equal(0.8, s_run.Utilization, 6);
        Assert.Equal(TimeSpan.FromSeconds(0.1), s_run.Transport);
        Assert.Contains("parallelism 1.60 of 2", text, StringComparison.Ordinal);
        Assert.Contains("start-up 0.300 s", text, StringComparison.Ordinal);
        Assert.Contains("transport 0.100 s", text, StringComparison.Ordinal);
        Assert.Contains("items waited 0.100 s for a CPU", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"speedup \d", text);
    }

    [Fact]
    public void ToString_WithBaseline_SpeedupAndItsBasis()
    {
        var run = s_run with { SerialEstimate = TimeSpan.FromSeconds(3), SerialBasis = "measured by Par.Advise" };

        Assert.Equal(2.0, run.Speedup!.Value, 6);
        Assert.Equal(1.0, run.Efficiency!.Value, 6);
        Assert.Contains("speedup 2.00x, efficiency 100% (serial ~3.000 s: measured by Par.Advise)", run.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_Inline_SaysTheMapWasTooSmallToSplit()
    {
        var run = s_run with { RanInline = true, Workers = 1, Wall = TimeSpan.FromMilliseconds(0.05), ItemTime = TimeSpan.FromMilliseconds(0.04) };

        Assert.Contains("inline on the calling thread: too small to split", run.ToString(), StringComparison.Ordinal);
    }
}
