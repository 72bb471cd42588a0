namespace Parmap.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Map_Squares_InOrder()
    {
        var ys = await Par.Map(Enumerable.Range(0, 1000), x => x * x);
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => x * x), ys);
    }
}
