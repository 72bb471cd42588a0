namespace Parmap.IntegrationTests.Executors.Processes;

/// <summary>Maps on real worker processes give what the same map gives in-process.</summary>
public class ProcessMapTests : ProcessTests
{
    private static readonly ParOptions s_processes = new() { Executor = ExecutorOptions.Processes, Workers = 2 };
    private static readonly ParOptions s_notReused = new() { Executor = new ProcessOptions { ReuseWorkers = false }, Workers = 2 };

    [Fact]
    public async Task Map_HundredThousandItems_SameResultsInOrderAsThreads()
    {
        // Given 100,000 inputs
        var inputs = Enumerable.Range(0, 100_000).ToArray();

        // When mapped on threads and in worker processes
        var onThreads = await Par.Map(inputs, Fns.Square);
        var inProcesses = await Par.MapOutcomes(inputs, Fns.Square, s_processes);

        // Then the results are equal, in input order, and the report says where they ran
        Assert.Equal(onThreads, inProcesses.Values());
        Assert.Equal("processes", inProcesses.Report!.Executor);
    }

    [Fact]
    public async Task Map_AsyncFunction_SameResultsAsThreads()
    {
        static async Task<string> Describe(int x)
        {
            await Task.Yield();
            return $"item {x}";
        }

        var inputs = Enumerable.Range(0, 500).ToArray();

        var inProcesses = await Par.Map(inputs, Describe, s_processes);

        Assert.Equal(inputs.Select(x => $"item {x}"), inProcesses);
    }

    [Fact]
    public async Task Map_ValueTaskFunctionWithToken_SameResultsAsThreads()
    {
        var inputs = Enumerable.Range(0, 300).ToArray();

        var inProcesses = await Par.Map(inputs, static (int x, CancellationToken ct) => new ValueTask<double>(x / 4.0), s_processes);

        Assert.Equal(inputs.Select(x => x / 4.0), inProcesses);
    }

    [Fact]
    public async Task Map_RecordInputsAndResults_RoundTrip()
    {
        // Given records (no attributes) as inputs and results
        var inputs = Enumerable.Range(0, 200).Select(i => new Point(i, -i)).ToArray();

        // When mapped in worker processes
        var results = await Par.Map(inputs, static (Point p) => new Summary($"p{p.X}", Math.Sqrt((p.X * p.X) + (p.Y * p.Y)), [p.X, p.Y]), s_processes);

        // Then every field comes back
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal($"p{i}", results[i].Label);
            Assert.Equal(Math.Sqrt(2.0 * i * i), results[i].Norm);
            Assert.Equal([i, -i], results[i].Coordinates);
        }
    }

    [Fact]
    public async Task Map_ItemThrows_ItemFailedExceptionWithIndexInputAndOriginalType()
    {
        // Given a function that throws on input 5, under the default Stop policy
        var inputs = Enumerable.Range(0, 50).ToArray();

        // When mapped in worker processes
        var failure = await Assert.ThrowsAsync<ItemFailedException>(() => Par.Map(inputs, Fns.ThrowOnFive, s_processes));

        // Then the failure names the index and input, and carries the worker's exception type, message and stack
        Assert.Equal(5, failure.Index);
        Assert.Equal(5, failure.Item);
        var inner = Assert.IsType<ArgumentException>(failure.InnerException);
        Assert.Equal("five is not allowed (5)", inner.Message);
        Assert.Contains(nameof(Fns.ThrowOnFive), inner.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ItemThrowsACustomExceptionWithoutTheUsualConstructors_SameTypeMessageAndStack()
    {
        var failure = await Assert.ThrowsAsync<ItemFailedException>(() => Par.Map(Enumerable.Range(0, 20).ToArray(), Fns.ThrowModelDiverged, s_processes));

        var inner = Assert.IsType<Fns.ModelDivergedException>(failure.InnerException);
        Assert.Equal("the model diverged at step 13", inner.Message);
        Assert.Contains(nameof(Fns.ThrowModelDiverged), inner.StackTrace, StringComparison.Ordinal);
        Assert.Contains("--- End of stack trace in worker", inner.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapOutcomes_SomeItemsThrow_EveryFailureAndEveryOtherValue()
    {
        var inputs = Enumerable.Range(0, 100).ToArray();

        var result = await Par.MapOutcomes(inputs, Fns.ThrowOnMultiplesOfSeven, s_processes);

        Assert.Equal(inputs.Where(x => x % 7 == 0).Select(x => (long)x), result.Failures.Select(f => f.Index));
        foreach (var outcome in result.Outcomes.Where(o => o.Error is null))
        {
            Assert.Equal((int)outcome.Index + 1, outcome.Value);
        }
        Assert.All(result.Failures, f => Assert.IsType<InvalidOperationException>(f.InnerException));
    }

    [Fact]
    public async Task Map_WorkerWritesToConsole_RunCompletesAndOutputReachesOwnerPrefixed()
    {
        // Given a function that writes to Console.Out in the worker
        var output = new StringWriter();
        var options = s_processes with { Executor = new ProcessOptions { WorkerOutput = TextWriter.Synchronized(output) } };

        // When mapped
        var results = await Par.Map(Enumerable.Range(0, 40), Fns.Chatty, options);

        // Then the protocol is intact and every line reached the owner with its worker's prefix
        Assert.Equal(Enumerable.Range(0, 40).Select(x => x * 3), results);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        for (var x = 0; x < 40; x++)
        {
            Assert.Contains(lines, l => l.StartsWith("[worker ", StringComparison.Ordinal) && l.EndsWith($"] hello from item {x}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Map_ProcessorCountInWorker_IsCoresDividedByWorkersAtLeastTwo()
    {
        var counts = await Par.Map(Enumerable.Range(0, 4), Fns.ProcessorCount, s_processes);

        Assert.All(counts, c => Assert.Equal(Math.Max(2, Environment.ProcessorCount / 2), c));
    }

    [Fact]
    public async Task Map_UserCodeInWorker_RunsInsideWorkerAndNestedMapsRunInline()
    {
        var inside = await Par.Map(Enumerable.Range(0, 4), Fns.InsideWorker, s_processes);
        var nested = await Par.Map(Enumerable.Range(0, 4), Fns.NestedMapSum, s_processes);

        Assert.All(inside, Assert.True);
        // A nested map in a worker runs on one inline worker: its report says 1 worker.
        Assert.Equal(Enumerable.Range(0, 4).Select(x => (x * (x - 1) / 2) + 1000), nested);
    }

    [Fact]
    public async Task Map_WithoutReuse_NoWorkerProcessLeftAfterReturn()
    {
        var pids = await Par.Map(Enumerable.Range(0, 20), Fns.Pid, s_notReused);

        Assert.NotEmpty(pids.Distinct());
        Assert.All(pids.Distinct(), pid => Assert.False(Procs.IsAlive(pid), $"worker {pid} still alive"));
        Assert.Empty(Procs.ChildrenOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Map_TwoMapsInARow_SecondRunsOnTheFirstMapsWarmWorkers()
    {
        // Given a map on worker processes, which keeps its workers warm when it returns
        var first = (await Par.Map(Enumerable.Range(0, 40), Fns.SlowPid, s_processes)).ToHashSet();
        Assert.Equal(2, first.Count);
        Assert.All(first, pid => Assert.True(Procs.IsAlive(pid)));

        // When the next map with the same settings runs, then it runs on the same workers
        var second = (await Par.Map(Enumerable.Range(0, 40), Fns.SlowPid, s_processes)).ToHashSet();
        Assert.Equal(first, second);

        // And stopping the idle workers leaves none
        await ProcessOptions.StopIdleWorkersAsync();
        Assert.True(Procs.WaitUntil(() => Procs.ChildrenOf(Environment.ProcessId).Count == 0, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Map_WarmWorkerKilledWhileIdle_NextMapStartsAFreshOneAndLosesNothing()
    {
        // Given two warm workers, one of which is killed while it waits for the next map
        var first = (await Par.Map(Enumerable.Range(0, 40), Fns.SlowPid, s_processes)).ToHashSet();
        var victim = first.First();
        Procs.Signal(victim, Procs.SigKill);
        Assert.True(Procs.WaitUntil(() => !Procs.IsAlive(victim), TimeSpan.FromSeconds(10)));

        // When the next map runs, then every item succeeds, and not on the dead worker
        var result = await Par.MapOutcomes(Enumerable.Range(0, 40), Fns.SlowPid, s_processes);
        Assert.Empty(result.Failures);
        Assert.DoesNotContain(victim, result.Values());
    }

    [Fact]
    public async Task Map_DifferentSettings_DoNotShareWarmWorkers()
    {
        var first = (await Par.Map(Enumerable.Range(0, 40), Fns.SlowPid, s_processes)).ToHashSet();

        var other = s_processes with { Executor = new ProcessOptions { ItemTimeout = TimeSpan.FromMinutes(1) } };
        var second = (await Par.Map(Enumerable.Range(0, 40), Fns.SlowPid, other)).ToHashSet();

        Assert.Empty(first.Intersect(second));
    }

    [Fact]
    public async Task Map_CallerCancels_ThrowsCanceledAndNoWorkerLeft()
    {
        // Given a long run of slow items
        using var cts = new CancellationTokenSource();
        var started = Par.Map(Enumerable.Range(0, 100_000), Fns.SlowPid, s_notReused, cts.Token);

        // When the caller cancels once workers are running
        Assert.True(Procs.WaitUntil(() => Procs.ChildrenOf(Environment.ProcessId).Count == 2, TimeSpan.FromSeconds(30)));
        await cts.CancelAsync();

        // Then the map throws the caller's cancellation and no worker is left
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => started);
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Empty(Procs.ChildrenOf(Environment.ProcessId));
    }

    [Fact]
    public async Task Stream_WorkerGetsSigint_IgnoresItAndFinishes()
    {
        // Given two workers that have both produced results (so they are past start-up)
        var pids = new List<int>();
        var signalled = false;
        await foreach (var pid in Par.Stream(Enumerable.Range(0, 400), Fns.SlowPid, s_processes))
        {
            pids.Add(pid);
            if (!signalled && pids.Distinct().Count() == 2)
            {
                // When each gets Ctrl-C's signal
                foreach (var worker in pids.Distinct())
                {
                    Procs.Signal(worker, Procs.SigInt);
                }
                signalled = true;
            }
        }

        // Then they keep working: all 400 results come from the 2 original workers
        Assert.True(signalled);
        Assert.Equal(400, pids.Count);
        Assert.Equal(2, pids.Distinct().Count());
    }

    [Fact]
    public async Task Pool_IdleTimeout_WorkersExitAndNextMapStartsFresh()
    {
        // Given a pool whose workers may idle 200 ms
        await using var pool = Pool.Start(s_processes with { Executor = new ProcessOptions { WorkerIdleTimeout = TimeSpan.FromMilliseconds(200) } });
        var first = (await pool.Map(Enumerable.Range(0, 20), Fns.Pid)).Distinct().ToArray();
        Assert.All(first, pid => Assert.True(Procs.IsAlive(pid)));

        // When it idles past the timeout
        Assert.True(Procs.WaitUntil(() => first.All(pid => !Procs.IsAlive(pid)), TimeSpan.FromSeconds(10)), "idle workers did not exit");

        // Then the next map runs on fresh workers
        var second = (await pool.Map(Enumerable.Range(0, 20), Fns.Pid)).Distinct().ToArray();
        Assert.Empty(second.Intersect(first));
    }

    [Fact]
    public async Task Pool_TwoMaps_ReuseTheSameWorkers()
    {
        await using var pool = Pool.Start(s_processes);

        var first = (await pool.Map(Enumerable.Range(0, 50), Fns.Pid)).Distinct().ToArray();
        var second = (await pool.Map(Enumerable.Range(0, 50), Fns.Pid)).Distinct().ToArray();

        Assert.Subset(first.ToHashSet(), second.ToHashSet());
    }

    [Fact]
    public async Task Pool_BlockingMapInContinuationOfMap_Completes()
    {
        // Given a pool, and code that continues right after a map on whatever thread finished it (no context)
        await using var pool = Pool.Start(s_processes);
        var inputs = Enumerable.Range(0, 200).ToArray();
        var run = Task.Run(async () =>
        {
            await pool.Map(inputs, Fns.Square).ConfigureAwait(false);

            // When that continuation blocks on a second map on the same workers
            return pool.Map(inputs, Fns.Square).GetAwaiter().GetResult();
        });

        // Then the second map completes (a lane that ended on a worker's pipe reader thread would deadlock it)
        var second = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(inputs.Select(Fns.Square), second);
    }
}
