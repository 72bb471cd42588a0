namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>
/// Capturing lambdas shipped to worker processes. These need the full function packer (the ship branch); with the
/// temporary packer of the proc branch they fail with UnshippableFunctionException until the two are merged.
/// </summary>
public class ProcessClosureTests : ProcessTests
{
    private static readonly ParOptions s_processes = new() { Executor = ExecutorOptions.Processes, Workers = 2 };
    private readonly int _offset = 1000;

    [Fact]
    public async Task Map_LambdaCapturingNumberAndString_SameAsThreads()
    {
        var factor = 3;
        var label = "x";

        var results = await Par.Map(Enumerable.Range(0, 100), x => $"{label}{x * factor}", s_processes);

        Assert.Equal(Enumerable.Range(0, 100).Select(x => $"x{x * 3}"), results);
    }

    [Fact]
    public async Task Map_LambdaCapturingArrayAndRecord_SameAsThreads()
    {
        var table = Enumerable.Range(0, 10).Select(i => i * i).ToArray();
        var origin = new Point(5, 7);

        var results = await Par.Map(Enumerable.Range(0, 10), i => table[i] + origin.X + origin.Y, s_processes);

        Assert.Equal(table.Select(t => t + 12), results);
    }

    [Fact]
    public async Task Map_InstanceLambdaUsingThis_SameAsThreads()
    {
        var results = await Par.Map(Enumerable.Range(0, 20), x => x + _offset, s_processes);

        Assert.Equal(Enumerable.Range(1000, 20), results);
    }

    [Fact]
    public async Task Map_AsyncLambdaCapturingLocal_SameAsThreads()
    {
        var delta = 0.5;

        var results = await Par.Map(Enumerable.Range(0, 50), async Task<double> (int x) =>
        {
            await Task.Yield();
            return x + delta;
        }, s_processes);

        Assert.Equal(Enumerable.Range(0, 50).Select(x => x + 0.5), results);
    }
}
