using System.Collections.Concurrent;

using Parmap.Executors.Threads;

namespace Parmap.Tests.Executors.Threads;

[CollectionDefinition(nameof(LaneThreadsTests), DisableParallelization = true)]
public sealed class LaneThreadsCollection;

// These tests count the process-wide parked lane threads: they run alone.
[Collection(nameof(LaneThreadsTests))]
public class LaneThreadsTests
{
    [Fact]
    public async Task Map_TwoMapsInARow_SecondRunsOnTheFirstMapsParkedThreads()
    {
        // Given a map on three lane threads, which park when it ends
        var first = new ConcurrentBag<Thread>();
        await Par.Map(Enumerable.Range(0, 30), x => { first.Add(Thread.CurrentThread); Thread.Sleep(1); return x; }, new ParOptions { Workers = 3, BatchSize = 1 });
        Assert.True(SpinWait.SpinUntil(() => LaneThreads.Idle >= 3, TimeSpan.FromSeconds(10)), "the lanes did not park");

        // When the next map runs
        var second = new ConcurrentBag<Thread>();
        await Par.Map(Enumerable.Range(0, 30), x => { second.Add(Thread.CurrentThread); Thread.Sleep(1); return x; }, new ParOptions { Workers = 3, BatchSize = 1 });

        // Then it ran on parked threads: no thread was started for it
        Assert.Equal(3, first.Distinct().Count());
        Assert.Subset(first.ToHashSet(), second.ToHashSet());
        Assert.All(second, t => Assert.StartsWith("Parmap lane", t.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LaneThreads_IdleLongerThanTheTimeout_Exit()
    {
        var before = LaneThreads.IdleTimeout;
        LaneThreads.IdleTimeout = TimeSpan.FromMilliseconds(100);
        try
        {
            // Given threads that ran a map and parked with a short idle timeout
            var threads = new ConcurrentBag<Thread>();
            await Par.Map(Enumerable.Range(0, 40), x => { threads.Add(Thread.CurrentThread); Thread.Sleep(1); return x; }, new ParOptions { Workers = 4, BatchSize = 1 });

            // When nothing maps for longer than the timeout, then they exit: no thread is left behind
            Assert.True(SpinWait.SpinUntil(() => threads.Distinct().All(t => !t.IsAlive), TimeSpan.FromSeconds(20)), "parked threads did not exit");
            Assert.Equal(0, LaneThreads.Idle);
        }
        finally
        {
            LaneThreads.IdleTimeout = before;
        }
    }

    [Fact]
    public async Task Map_EightConcurrentMapsFromEightThreads_EachCompleteAndCorrect()
    {
        var maps = Enumerable.Range(0, 8).Select(k => Task.Run(() =>
            Par.Map(Enumerable.Range(0, 20_000).ToArray(), x => (long)x * k, new ParOptions { Workers = 3 }))).ToArray();

        var results = await Task.WhenAll(maps);

        for (var k = 0; k < 8; k++)
        {
            Assert.Equal(Enumerable.Range(0, 20_000).Select(x => (long)x * k), results[k]);
        }
    }
}
