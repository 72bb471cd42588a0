namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>Item timeouts, worker recycling and per-worker initializers.</summary>
public class ProcessLimitsTests : ProcessTests
{
    // Workers are not kept for the next map here: the tests check that none is left.
    private static readonly ParOptions s_processes = new() { Executor = new ProcessOptions { ReuseWorkers = false }, Workers = 2 };
    private static int s_initialized;

    [Fact]
    public async Task MapOutcomes_ItemPastTimeout_OnlyThatItemFailsAndTheRestOfItsBatchRuns()
    {
        // Given an item that never finishes, in batches of 10
        var options = s_processes with { Executor = new ProcessOptions { ItemTimeout = TimeSpan.FromMilliseconds(300), ReuseWorkers = false }, BatchSize = 10 };

        // When mapped with a 300 ms item timeout
        var result = await Par.MapOutcomes(Enumerable.Range(0, 30), Fns.HangOnSeven, options);

        // Then item 7 fails with a timeout and every other item has its value
        var failure = Assert.Single(result.Failures);
        Assert.Equal(7, failure.Index);
        var timeout = Assert.IsType<ItemTimeoutException>(failure.InnerException);
        Assert.Equal(TimeSpan.FromMilliseconds(300), timeout.Timeout);
        Assert.Contains("'00:00:00.3000000'", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 30).Where(x => x != 7).Select(x => x * 2), result.Outcomes.Where(o => o.Error is null).Select(o => o.Value));
        Assert.Empty(Procs.ChildrenOf(Environment.ProcessId));
    }

    [Fact]
    public async Task MapOutcomes_TimeoutWithRetries_ItemTriedAgainOnAFreshWorker()
    {
        var options = s_processes with { Executor = new ProcessOptions { ItemTimeout = TimeSpan.FromMilliseconds(200), ReuseWorkers = false }, BatchSize = 4, Retries = 1 };

        var result = await Par.MapOutcomes(Enumerable.Range(0, 12), Fns.HangOnSeven, options);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(2, failure.Attempts);
        Assert.IsType<ItemTimeoutException>(failure.InnerException);
    }

    [Fact]
    public async Task Map_RecycleAfterItems_NoWorkerRunsMoreAndNoItemLostOrRepeated()
    {
        // Given recycling after 5 items on one worker
        var options = s_processes with { Workers = 1, Executor = new ProcessOptions { RecycleAfterItems = 5, ReuseWorkers = false } };

        // When 40 items are mapped (each returns the pid of the worker that ran it)
        var pids = await Par.Map(Enumerable.Range(0, 40), Fns.Pid, options);

        // Then there is one result per item and each worker ran exactly 5 of them
        Assert.Equal(40, pids.Length);
        Assert.All(pids.GroupBy(p => p), g => Assert.Equal(5, g.Count()));
        Assert.Equal(8, pids.Distinct().Count());
    }

    [Fact]
    public async Task Map_RecycleAboveMemory_WorkerRestartedAfterEachBatchOverTheLimit()
    {
        // Given a memory limit every worker exceeds, and batches of 10
        var options = s_processes with { Workers = 1, BatchSize = 10, Executor = new ProcessOptions { RecycleAboveMemory = 1, ReuseWorkers = false } };

        // When 30 items are mapped
        var pids = await Par.Map(Enumerable.Range(0, 30), Fns.Pid, options);

        // Then each batch ran on its own worker
        Assert.Equal(3, pids.Distinct().Count());
        Assert.All(pids.Chunk(10), chunk => Assert.Single(chunk.Distinct()));
    }

    [Fact]
    public async Task Map_WorkerInitializer_RunsOnceInEachWorkerBeforeItsFirstItem()
    {
        var options = s_processes with { Executor = new ProcessOptions { WorkerInitializer = Initialize, ReuseWorkers = false } };

        var seen = await Par.Map(Enumerable.Range(0, 50), ReadInitialized, options);

        // Every item saw the initializer's effect, and it had run exactly once in its worker.
        Assert.All(seen, s => Assert.Equal(1, s));
        Assert.Equal(0, s_initialized);
    }

    private static void Initialize() => Interlocked.Increment(ref s_initialized);

    private static int ReadInitialized(int x) => Volatile.Read(ref s_initialized);
}
