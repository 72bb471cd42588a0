namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>Workers that die lose nothing: every other item's result arrives exactly once, the poison item fails alone.</summary>
public class ProcessCrashTests : ProcessTests
{
    // Workers are not kept for the next map here: the tests check that none is left.
    private static readonly ParOptions s_processes = new() { Executor = new ProcessOptions { ReuseWorkers = false }, Workers = 2, BatchSize = 8 };

    public static TheoryData<string, int> CrashKinds => new()
    {
        { nameof(Fns.FailFastOnPoison), 134 },
        { nameof(Fns.ExitOnPoison), 42 },
        { nameof(Fns.OverflowOnPoison), 134 },
        { nameof(Fns.SegfaultOnPoison), 139 },
        { nameof(Fns.KillSelfOnPoison), 137 },
    };

    [Theory]
    [MemberData(nameof(CrashKinds))]
    public async Task MapOutcomes_PoisonItemKillsItsWorker_OnlyThatItemFailsWithCrashDetails(string function, int exitCode)
    {
        // Given a function that kills its worker process on item 13, in batches of 8
        var f = typeof(Fns).GetMethod(function)!.CreateDelegate<Func<int, int>>();
        var inputs = Enumerable.Range(0, 40).ToArray();

        // When mapped collecting outcomes
        var result = await Par.MapOutcomes(inputs, f, s_processes);

        // Then every other item has its value exactly once, and only item 13 failed, after running once, with how its worker died
        var failure = Assert.Single(result.Failures);
        Assert.Equal(Fns.Poison, failure.Index);
        Assert.Equal(1, failure.Attempts);
        var crash = Assert.IsType<WorkerCrashedException>(failure.InnerException);
        Assert.Equal(Fns.Poison, crash.Item);
        Assert.Equal(exitCode, crash.ExitCode);
        Assert.Contains($"exit code {exitCode}", crash.Message, StringComparison.Ordinal);
        foreach (var outcome in result.Outcomes.Where(o => o.Index != Fns.Poison))
        {
            Assert.Null(outcome.Error);
            Assert.Equal(outcome.Index * 2, outcome.Value);
        }
        Assert.Equal(39, result.Report.Succeeded);
        Assert.Empty(Procs.ChildrenOf(Environment.ProcessId));
    }

    public static TheoryData<string, int> CrashMatrix()
    {
        var data = new TheoryData<string, int>();
        foreach (var crash in new[] { nameof(Fns.FailFastOnPoison), nameof(Fns.ExitOnPoison), nameof(Fns.SegfaultOnPoison), nameof(Fns.KillSelfOnPoison) })
        {
            // Item 13 first in its batch (1), in its middle (8: position 5), last (14), in one batch of all (40)
            foreach (var batch in new[] { 1, 8, 14, 40 })
            {
                data.Add(crash, batch);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CrashMatrix))]
    public async Task MapOutcomes_PoisonCrashesItsWorker_EveryItemRanOnceThePoisonFailedAfterOneExecution(string crash, int batch)
    {
        // Given items of 3 ms that log each execution, and item 13 that kills its worker
        var log = Directory.CreateTempSubdirectory("parmap-executions-").FullName;
        Environment.SetEnvironmentVariable(Fns.ExecutionLog, log);
        Environment.SetEnvironmentVariable("PARMAP_TEST_CRASH", crash);
        try
        {
            // When 40 items run on two workers
            var result = await Par.MapOutcomes(Enumerable.Range(0, 40), Fns.Executions, s_processes with { BatchSize = batch });

            // Then only item 13 failed, after one execution; every item ran exactly once (a finished item is not run again)
            var failure = Assert.Single(result.Failures);
            Assert.Equal(Fns.Poison, failure.Index);
            Assert.Equal(1, failure.Attempts);
            Assert.IsType<WorkerCrashedException>(failure.InnerException);
            var executions = Directory.GetFiles(log).SelectMany(File.ReadAllLines).Select(int.Parse).ToList();
            Assert.Equal(Enumerable.Range(0, 40), executions.Order());
            Assert.Equal(Enumerable.Range(0, 40).Where(x => x != Fns.Poison).Select(x => x * 2), result.Outcomes.Where(o => o.Succeeded).Select(o => o.Value));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Fns.ExecutionLog, null);
            Environment.SetEnvironmentVariable("PARMAP_TEST_CRASH", null);
            Directory.Delete(log, recursive: true);
        }
    }

    [Fact]
    public async Task MapOutcomes_FailFast_CrashCarriesStderrOfTheWorker()
    {
        var result = await Par.MapOutcomes(Enumerable.Range(0, 20), Fns.FailFastOnPoison, s_processes);

        var crash = Assert.IsType<WorkerCrashedException>(Assert.Single(result.Failures).InnerException);
        Assert.Contains("poison item reached", crash.StderrHead + crash.StderrTail, StringComparison.Ordinal);
        Assert.Equal(6, crash.Signal);
    }

    [Fact]
    public async Task Map_PoisonItemUnderStopPolicy_ThrowsItemFailedExceptionForIt()
    {
        var e = await Assert.ThrowsAsync<ItemFailedException>(() => Par.Map(Enumerable.Range(0, 30), Fns.ExitOnPoison, s_processes));

        Assert.Equal(Fns.Poison, e.Index);
        Assert.IsType<WorkerCrashedException>(e.InnerException);
    }

    [Fact]
    public async Task Map_WorkerKilledFromOutsideMidRun_EveryResultExactlyOnceAndAFreshWorkerTookOver()
    {
        // Given a run of slow items on two workers, past its first 50 items, on a machine kept busy by two other processes
        using var busy = BusyLoops.Start(2);
        var inputs = Enumerable.Range(0, 600).ToArray();
        using var progressed = new ProgressGate(50);
        // (An item running when its worker is killed from outside fails unless retried: Retries = 1 runs it again.)
        var run = Par.MapOutcomes(inputs, Fns.SlowPid, s_processes with { BatchSize = null, Retries = 1, Progress = progressed, ProgressInterval = TimeSpan.Zero });
        Assert.True(progressed.Wait(TimeSpan.FromSeconds(60)), "the run did not get past 50 items");
        var originals = Procs.ChildrenOf(Environment.ProcessId);
        Assert.Equal(2, originals.Count);
        var victim = originals[0];

        // When one worker is killed with SIGKILL mid-run
        Procs.Signal(victim, Procs.SigKill);

        // Then the run completes with one outcome per input and no failure, and a third worker (neither original) ran items
        var result = await run;
        Assert.Empty(result.Failures);
        Assert.Equal(600, result.Outcomes.Count);
        Assert.Equal(600, result.Report.Succeeded);
        var pids = result.Outcomes.Select(o => o.Value).ToHashSet();
        Assert.Contains(victim, pids);
        Assert.NotEmpty(pids.Except(originals));
        Assert.False(Procs.IsAlive(victim));
    }

    [Fact]
    public async Task MapOutcomes_WorkerFrozenWithItemTimeout_KilledAsUnresponsiveAndItsItemsRunElsewhere()
    {
        // Given slow items on two workers, with an item timeout (which also makes the owner watch for silence), past their
        // first 50 items, on a machine kept busy by two other processes
        using var busy = BusyLoops.Start(2);
        var options = s_processes with { BatchSize = 5, Retries = 1, Executor = new ProcessOptions { ItemTimeout = TimeSpan.FromMilliseconds(500), ReuseWorkers = false } };
        using var progressed = new ProgressGate(50);
        var run = Par.MapOutcomes(Enumerable.Range(0, 300), Fns.SlowPid, options with { Progress = progressed, ProgressInterval = TimeSpan.Zero });
        Assert.True(progressed.Wait(TimeSpan.FromSeconds(60)), "the run did not get past 50 items");
        var originals = Procs.ChildrenOf(Environment.ProcessId);
        var frozen = originals[0];

        // When one worker is frozen (SIGSTOP: even its watchdog cannot run)
        Procs.Signal(frozen, Procs.SigStop);

        // Then the owner kills it once it has been silent too long, and every item completes exactly once, some on a fresh worker
        var result = await run;
        Assert.Empty(result.Failures);
        Assert.Equal(300, result.Report.Succeeded);
        Assert.False(Procs.IsAlive(frozen));
        Assert.NotEmpty(result.Outcomes.Select(o => o.Value).ToHashSet().Except(originals));
    }

    /// <summary>Opens once a run reports at least a given number of finished items (progress is reported synchronously).</summary>
    private sealed class ProgressGate(long items) : IProgress<ProgressInfo>, IDisposable
    {
        private readonly ManualResetEventSlim _open = new();

        public void Report(ProgressInfo value)
        {
            if (value.Done >= items)
            {
                _open.Set();
            }
        }

        public bool Wait(TimeSpan timeout) => _open.Wait(timeout);

        public void Dispose() => _open.Dispose();
    }

    [Fact]
    public async Task MapOutcomes_CrashOnlyOnFirstAttemptWithRetries_RanAgainAndNothingFails()
    {
        // Given a function that kills its worker the first time it sees item 13 (a marker file remembers)
        var marker = Path.Combine(Path.GetTempPath(), $"parmap-crash-once-{Guid.NewGuid():N}");
        Environment.SetEnvironmentVariable("PARMAP_TEST_MARKER", marker);
        try
        {
            // When mapped with one retry
            var result = await Par.MapOutcomes(Enumerable.Range(0, 40), CrashOnce, s_processes with { Retries = 1 });

            // Then item 13 ran again on a fresh worker and every item succeeded exactly once
            Assert.True(File.Exists(marker));
            Assert.Empty(result.Failures);
            Assert.Equal(1, result.Report.Retried);
            Assert.Equal(Enumerable.Range(0, 40).Select(x => x * 2), result.Outcomes.Select(o => o.Value));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PARMAP_TEST_MARKER", null);
            File.Delete(marker);
        }
    }

    private static int CrashOnce(int x)
    {
        if (x == Fns.Poison)
        {
            var marker = Environment.GetEnvironmentVariable("PARMAP_TEST_MARKER")!;
            if (!File.Exists(marker))
            {
                File.WriteAllText(marker, "crashed");
                Environment.Exit(9);
            }
        }
        return x * 2;
    }
}
