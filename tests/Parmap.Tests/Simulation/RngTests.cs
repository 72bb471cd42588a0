namespace Parmap.Tests.Simulation;

public class RngTests
{
    [Fact]
    public void Stream_SameSeedAndTrial_SameDraws()
    {
        var a = new Rng(42, 7);
        var b = new Rng(42, 7);

        Assert.Equal(Enumerable.Range(0, 100).Select(_ => a.NextUInt64()), Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
    }

    [Fact]
    public void Stream_OtherTrialOrSeed_OtherDraws()
    {
        var first = new Rng(42, 7).NextUInt64();

        Assert.NotEqual(first, new Rng(42, 8).NextUInt64());
        Assert.NotEqual(first, new Rng(43, 7).NextUInt64());
    }

    [Fact]
    public void Uniform_ManyDraws_InRangeWithRightMoments()
    {
        var rng = new Rng(1, 0);
        var xs = Enumerable.Range(0, 200_000).Select(_ => rng.Uniform()).ToArray();

        Assert.All(xs, x => Assert.InRange(x, 0.0, 1.0 - 1e-17));
        Assert.Equal(0.5, xs.Average(), 2);
        Assert.Equal(1.0 / 12, xs.Select(x => (x - 0.5) * (x - 0.5)).Average(), 3);
    }

    [Fact]
    public void Normal_ManyDraws_StandardMoments()
    {
        var rng = new Rng(2, 0);
        var xs = Enumerable.Range(0, 200_000).Select(_ => rng.Normal(3, 2)).ToArray();
        var mean = xs.Average();

        Assert.Equal(3, mean, 1);
        Assert.Equal(4, xs.Select(x => (x - mean) * (x - mean)).Average(), 1);
        Assert.Equal(0.6827, xs.Count(x => Math.Abs(x - 3) < 2) / (double)xs.Length, 2);
    }

    [Fact]
    public void Integer_SmallRange_UniformByChiSquare()
    {
        var rng = new Rng(3, 0);
        var counts = new int[6];
        const int N = 60_000;
        for (var i = 0; i < N; i++)
        {
            var k = rng.Integer(-2, 4);
            Assert.InRange(k, -2, 3);
            counts[k + 2]++;
        }

        // Chi-square with 5 degrees of freedom: 20.5 is its 99.9% quantile.
        var chi = counts.Sum(c => (c - (N / 6.0)) * (c - (N / 6.0)) / (N / 6.0));
        Assert.True(chi < 20.5, $"chi-square {chi:F2} for counts {string.Join(",", counts)}");
    }

    [Fact]
    public void Integer_EmptyRange_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Rng(1, 1).Integer(5, 5));

        Assert.Contains("[5, 5) is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choice_PicksEveryItem()
    {
        var rng = new Rng(4, 0);
        string[] items = ["a", "b", "c"];

        var seen = Enumerable.Range(0, 300).Select(_ => rng.Choice(items)).ToHashSet();

        Assert.Equal(items.ToHashSet(), seen);
        Assert.Throws<ArgumentException>(() => rng.Choice(Array.Empty<int>()));
    }

    [Fact]
    public void NeighbouringTrials_FirstDrawsUncorrelated()
    {
        // Streams of consecutive trials must not be shifted copies of each other.
        var xs = Enumerable.Range(0, 20_000).Select(t => new Rng(5, t).Uniform()).ToArray();
        var mean = xs.Average();
        var lag1 = xs.Zip(xs.Skip(1)).Average(p => (p.First - mean) * (p.Second - mean)) / xs.Average(x => (x - mean) * (x - mean));

        Assert.InRange(lag1, -0.03, 0.03);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.995, 2.5758293035489004)]
    [InlineData(1e-10, -6.361340902404056)]
    public void NormalQuantile_KnownValues(double p, double expected)
    {
        Assert.Equal(expected, Statistics.NormalQuantile(p), 12);
    }
}
