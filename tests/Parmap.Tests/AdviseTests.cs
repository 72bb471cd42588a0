namespace Parmap.Tests;

public class AdviseTests
{
    [Fact]
    public async Task Advise_TinyRun_NotWorthIt()
    {
        // 100 additions take microseconds: no parallel run can save a noticeable amount of time.
        var advice = await Par.Advise(Enumerable.Range(0, 100).ToArray(), x => x + 1, new ParOptions { Workers = 4 });

        Assert.False(advice.WorthIt);
        Assert.StartsWith("Not worth it", advice.Reason);
        Assert.Equal(100, advice.Items);
        Assert.Equal(64, advice.SampledItems);
    }

    [Fact]
    public async Task Advise_LongRun_WorthItWithPrediction()
    {
        // 2,000 items of at least 2 ms each: at least 4 s serially.
        var advice = await Par.Advise(Enumerable.Range(0, 2_000).ToArray(), x => { Thread.Sleep(2); return x; }, new ParOptions { Workers = 4 }, TimeSpan.FromMilliseconds(100));

        Assert.True(advice.WorthIt, advice.Reason);
        Assert.True(advice.PerItem >= TimeSpan.FromMilliseconds(2));
        Assert.True(advice.SerialEstimate >= TimeSpan.FromSeconds(4));
        Assert.True(advice.ParallelEstimate < advice.SerialEstimate);
        Assert.InRange(advice.PredictedSpeedup, 2.0, 4.0);
        Assert.InRange(advice.SampledItems, 1, 64);
        Assert.Contains("Worth it", advice.Reason);
    }

    [Fact]
    public async Task Advise_OneWorker_NotWorthIt()
    {
        var advice = await Par.Advise(Enumerable.Range(0, 100).ToArray(), x => { Thread.Sleep(1); return x; }, new ParOptions { Workers = 1 }, TimeSpan.FromMilliseconds(20));

        Assert.False(advice.WorthIt);
        Assert.Contains("only one worker", advice.Reason);
    }

    [Fact]
    public async Task Advise_EmptyInput_SaysSo()
    {
        var advice = await Par.Advise(Array.Empty<int>(), x => x);

        Assert.False(advice.WorthIt);
        Assert.Equal(0, advice.SampledItems);
    }

    [Fact]
    public async Task Advise_UnevenSweep_SamplesTheWholeRange()
    {
        // Items get slower along the input; a sample of the first items only would miss the slow end.
        var seen = new List<int>();

        await Par.Advise(Enumerable.Range(0, 10_000).ToArray(), x => { lock (seen) { seen.Add(x); } return x; });

        Assert.Contains(seen, x => x > 9_000);
    }
}
