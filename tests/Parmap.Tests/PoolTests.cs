using System.Collections.Concurrent;

namespace Parmap.Tests;

public class PoolTests
{
    [Fact]
    public async Task Pool_TwoMaps_ThreeWorkersEachAndNothingRunningAfterDispose()
    {
        var first = new ConcurrentBag<Thread>();
        var second = new ConcurrentBag<Thread>();
        var active = new TestSupport.ActiveItems();

        await using (var pool = Pool.Start(new ParOptions { Workers = 3 }))
        {
            Assert.Equal(3, pool.Workers);
            Assert.Equal(Enumerable.Range(0, 3_000), await pool.Map(Enumerable.Range(0, 3_000), x => active.Run(x, x => { first.Add(Thread.CurrentThread); return x; })));
            Assert.Equal(Enumerable.Range(0, 3_000), await Par.Map(Enumerable.Range(0, 3_000), x => active.Run(x, x => { second.Add(Thread.CurrentThread); return x; }), pool.Options));
            Assert.InRange(first.Distinct().Count(), 1, 3);
            Assert.InRange(second.Distinct().Count(), 1, 3);
        }

        Assert.Equal(0, active.Running);
    }

    [Fact]
    public async Task Pool_ConcurrentMaps_BothComplete()
    {
        await using var pool = Pool.Start(new ParOptions { Workers = 2 });

        var a = pool.Map(Enumerable.Range(0, 10_000), x => x + 1);
        var b = pool.Map(Enumerable.Range(0, 10_000), x => x + 2);

        Assert.Equal(Enumerable.Range(1, 10_000), await a);
        Assert.Equal(Enumerable.Range(2, 10_000), await b);
    }

    [Fact]
    public async Task Pool_NestedMapWithPoolOptions_RunsInlineInsteadOfWaitingForThePool()
    {
        await using var pool = Pool.Start(new ParOptions { Workers = 2 });

        var sums = await pool.Map(Enumerable.Range(0, 20), x => Par.MapSync(Enumerable.Range(0, 10), y => x * y, pool.Options).Sum());

        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * 45), sums);
    }

    [Fact]
    public async Task Pool_Disposed_MapThrowsObjectDisposed()
    {
        var pool = Pool.Start(new ParOptions { Workers = 1 });
        await pool.DisposeAsync();
        await pool.DisposeAsync();

        var e = await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.Map(new[] { 1 }, x => x));
        Assert.Contains("Pool", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Executor", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parmap.", e.ObjectName, StringComparison.Ordinal);
    }
}
