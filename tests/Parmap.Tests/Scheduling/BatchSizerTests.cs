using Parmap.Scheduling;

namespace Parmap.Tests.Scheduling;

public class BatchSizerTests
{
    private const long Frequency = 1_000_000; // ticks are microseconds here

    [Fact]
    public void Next_Fixed_AlwaysThatSize()
    {
        var sizer = new BatchSizer(fixedSize: 37, TimeSpan.FromMilliseconds(2), workers: 4, max: 1_000, Frequency);

        sizer.Observe(37, 1_000_000);

        Assert.Equal(37, sizer.Next(null));
        Assert.Equal(37, sizer.Next(1));
    }

    [Fact]
    public void Next_Auto_StartsAtOneAndAtMostDoubles()
    {
        var sizer = new BatchSizer(null, TimeSpan.FromMilliseconds(2), workers: 2, max: 1_000_000, Frequency);

        Assert.Equal(1, sizer.Next(null));
        sizer.Observe(1, 1); // 1 us per item: the target (2,000 items) is far away
        Assert.Equal(2, sizer.Next(null));
        sizer.Observe(2, 2);
        Assert.Equal(4, sizer.Next(null));
    }

    [Fact]
    public void Next_Auto_SettlesOnTargetDuration()
    {
        var sizer = new BatchSizer(null, TimeSpan.FromMilliseconds(2), workers: 2, max: 1_000_000, Frequency);

        for (var i = 0; i < 30; i++)
        {
            var n = sizer.Next(null);
            sizer.Observe(n, n * 10); // 10 us per item
        }

        Assert.Equal(200, sizer.Next(null)); // 2 ms / 10 us
    }

    [Fact]
    public void Next_SlowItems_BatchOfOne()
    {
        var sizer = new BatchSizer(null, TimeSpan.FromMilliseconds(2), workers: 2, max: 1_000_000, Frequency);

        sizer.Observe(1, 50_000); // 50 ms per item

        Assert.Equal(1, sizer.Next(null));
    }

    [Fact]
    public void Next_NearTheEnd_GuidedCapShrinksBatches()
    {
        var sizer = new BatchSizer(null, TimeSpan.FromMilliseconds(2), workers: 2, max: 1_000_000, Frequency);
        for (var i = 0; i < 30; i++)
        {
            sizer.Observe(sizer.Next(null), 1);
        }

        Assert.True(sizer.Next(1_000_000) > 1_000);
        Assert.Equal(25, sizer.Next(100)); // remaining / (2 x workers)
        Assert.Equal(1, sizer.Next(1));
    }

    [Fact]
    public void Next_NeverAboveMax()
    {
        var sizer = new BatchSizer(null, TimeSpan.FromSeconds(10), workers: 1, max: 64, Frequency);
        for (var i = 0; i < 30; i++)
        {
            sizer.Observe(sizer.Next(null), 1);
        }

        Assert.Equal(64, sizer.Next(null));
        Assert.Equal(64, sizer.Largest);
    }
}
