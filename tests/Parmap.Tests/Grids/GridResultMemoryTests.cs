namespace Parmap.Tests.Grids;

[CollectionDefinition(nameof(GridResultMemoryTests), DisableParallelization = true)]
public sealed class GridResultMemoryCollection;

// Measures the managed heap, so it runs alone (no other test allocating at the same time): a stress test
// (./test.sh --stress), run by CI in a step of its own.
[Collection(nameof(GridResultMemoryTests))]
[Trait("Category", "Stress")]
public class GridResultMemoryTests
{
    [Fact]
    public async Task Memory_ResultHoldsRawArrayAndAxesOnly()
    {
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, 500), Axis.Linspace("b", 0, 1, 500));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var result = await Par.Map(grid, p => p.Item1 * p.Item2);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var raw = 500 * 500 * sizeof(double);
        Assert.True(after - before <= 1.2 * raw, $"result retains {after - before:N0} bytes for a raw array of {raw:N0}");
        GC.KeepAlive(result);
    }
}
