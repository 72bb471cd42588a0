namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>
/// A worker killed or frozen while it starts is replaced (the kernel's OOM killer or an overloaded node does this to
/// real runs); a start that cannot succeed fails at once; repeated failures end the run naming each.
/// </summary>
public class ProcessStartTests : ProcessTests
{
    private const string Variable = "PARMAP_TEST_START_MARKERS";

    [Fact]
    public async Task Map_WorkerKilledWhileStarting_ReplacedAndTheRunCompletes()
    {
        using var markers = new Markers();

        // The first worker to start kills itself (SIGKILL) in its initializer, before it is ready
        var ys = await Par.Map(Enumerable.Range(0, 20).ToArray(), static x => x + 1, Options(KillFirstStart, workers: 1));

        Assert.Equal(Enumerable.Range(1, 20), ys);
        Assert.Equal(2, markers.Starts);
    }

    [Fact]
    public async Task Map_WorkerFrozenWhileStarting_KilledAsLifelessAndReplaced()
    {
        using var markers = new Markers();

        // The first worker stops itself (SIGSTOP) in its initializer: no CPU, no heartbeat; the owner replaces it
        var ys = await Par.Map(Enumerable.Range(0, 20).ToArray(), static x => x * 3, Options(StopFirstStart, workers: 1));

        Assert.Equal(Enumerable.Range(0, 20).Select(x => x * 3), ys);
        Assert.Equal(2, markers.Starts);
        Assert.Empty(Procs.ChildrenOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Map_EveryStartKilled_FailsAfterThreeNamingEach()
    {
        using var markers = new Markers();

        var e = await Assert.ThrowsAsync<WorkerStartException>(() => Par.Map(new[] { 1, 2 }, static x => x, Options(KillEveryStart, workers: 1)));

        Assert.StartsWith("3 worker processes in a row could not start: (1) Worker ", e.Message, StringComparison.Ordinal);
        Assert.Contains("(2) Worker ", e.Message, StringComparison.Ordinal);
        Assert.Contains("(3) Worker ", e.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 137", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, markers.Starts);
    }

    [Fact]
    public async Task Map_InitializerThrows_FailsAtOnceWithoutAnotherStart()
    {
        using var markers = new Markers();

        var e = await Assert.ThrowsAsync<WorkerStartException>(() => Par.Map(new[] { 1, 2 }, static x => x, Options(ThrowEveryStart, workers: 1)));

        Assert.Contains("WorkerInitializer threw InvalidOperationException: no license file", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, markers.Starts);
    }

    private static ParOptions Options(Action initializer, int workers) =>
        new() { Workers = workers, Executor = new ProcessOptions { WorkerInitializer = initializer, ReuseWorkers = false } };

    /// <summary>Counts worker starts: each initializer run leaves a file in the directory named by the variable.</summary>
    private static int MarkStart()
    {
        var dir = Environment.GetEnvironmentVariable(Variable)!;
        File.WriteAllText(Path.Combine(dir, $"{Environment.ProcessId}"), "");
        return Directory.GetFiles(dir).Length;
    }

    private static void KillFirstStart()
    {
        if (MarkStart() == 1)
        {
            Fns.Signal(Environment.ProcessId, 9);
        }
    }

    private static void StopFirstStart()
    {
        if (MarkStart() == 1)
        {
            Fns.Signal(Environment.ProcessId, 19);
        }
    }

    private static void KillEveryStart()
    {
        MarkStart();
        Fns.Signal(Environment.ProcessId, 9);
    }

    private static void ThrowEveryStart()
    {
        MarkStart();
        throw new InvalidOperationException("no license file");
    }

    private sealed class Markers : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("parmap-starts-").FullName;

        public Markers() => Environment.SetEnvironmentVariable(Variable, _dir);

        public int Starts => Directory.GetFiles(_dir).Length;

        public void Dispose()
        {
            Environment.SetEnvironmentVariable(Variable, null);
            Directory.Delete(_dir, recursive: true);
        }
    }
}
