using System.Collections.Concurrent;

namespace Parmap.Tests;

public class ParTests
{
    [Fact]
    public async Task Map_MillionItems_ResultsInInputOrder()
    {
        var ys = await Par.Map(Enumerable.Range(0, 1_000_000), x => x ^ 0x5A5A);

        Assert.Equal(1_000_000, ys.Length);
        for (var i = 0; i < ys.Length; i++)
        {
            Assert.Equal(i ^ 0x5A5A, ys[i]);
        }
    }

    [Fact]
    public void MapSync_Squares_InOrder()
    {
        var ys = Par.MapSync(Enumerable.Range(0, 10_000), x => x * x);

        Assert.Equal(Enumerable.Range(0, 10_000).Select(x => x * x), ys);
    }

    [Fact]
    public async Task Map_EveryFunctionShape_SameResults()
    {
        var xs = Enumerable.Range(0, 2_000).ToArray();
        var expected = xs.Select(x => x + 1).ToArray();

        Assert.Equal(expected, await Par.Map(xs, x => x + 1));
        Assert.Equal(expected, await Par.Map(xs, (x, ct) => x + 1));
        Assert.Equal(expected, await Par.Map(xs, async x => { await Task.Yield(); return x + 1; }));
        Assert.Equal(expected, await Par.Map(xs, async (x, ct) => { await Task.Delay(0, ct); return x + 1; }));
        Assert.Equal(expected, await Par.Map(xs, x => new ValueTask<int>(x + 1)));
        Assert.Equal(expected, await Par.Map(xs, (x, ct) => new ValueTask<int>(x + 1)));
        Assert.Equal(expected, Par.MapSync(xs, async x => { await Task.Yield(); return x + 1; }));
    }

    [Fact]
    public async Task Map_AsyncFunctionThatSuspends_AllResultsInOrder()
    {
        var ys = await Par.Map(Enumerable.Range(0, 300), async (x, ct) =>
        {
            await Task.Delay(1, ct);
            return x * 2;
        }, new ParOptions { Workers = 8 });

        Assert.Equal(Enumerable.Range(0, 300).Select(x => x * 2), ys);
    }

    [Fact]
    public async Task Map_CallerCancels_ThrowsWithCallerTokenAndStopsPromptly()
    {
        // Given a run whose 1,000th item cancels the caller's token
        using var cts = new CancellationTokenSource();
        var started = 0;
        var startedAfterCancel = 0;
        var running = 0;

        // When the map runs
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Par.Map(Enumerable.Range(0, 10_000_000), (x, ct) =>
        {
            Interlocked.Increment(ref running);
            if (ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref startedAfterCancel);
            }
            if (Interlocked.Increment(ref started) == 1_000)
            {
                cts.Cancel();
            }
            Interlocked.Decrement(ref running);
            return x;
        }, new ParOptions { Workers = 4 }, cts.Token));

        // Then the exception carries the caller's token; once the run's token is cancelled each worker starts at most
        // the one item it had already checked the token for; no item is left running.
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.InRange(startedAfterCancel, 0, 4);
        Assert.True(started < 10_000_000);
        Assert.Equal(0, Volatile.Read(ref running));
    }

    [Fact]
    public async Task Map_TokenReachesFunction_BlockedItemsReleased()
    {
        using var cts = new CancellationTokenSource();
        var waiting = 0;

        var run = Par.Map(Enumerable.Range(0, 4), (x, ct) =>
        {
            if (Interlocked.Increment(ref waiting) == 4)
            {
                cts.Cancel();
            }
            ct.WaitHandle.WaitOne();
            ct.ThrowIfCancellationRequested();
            return x;
        }, new ParOptions { Workers = 4, BatchSize = 1 }, cts.Token);

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(cts.Token, e.CancellationToken);
    }

    [Fact]
    public async Task Map_AlreadyCancelled_ThrowsBeforeRunning()
    {
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Par.Map(new[] { 1, 2, 3 }, x => Interlocked.Increment(ref calls), cancellationToken: new CancellationToken(canceled: true)));

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Map_BlockingItems_AllWorkersRunAtOnce()
    {
        // A barrier that needs all 8 items inside the function at the same time: only passes if every worker is a
        // real thread of its own (the thread pool would add threads slowly, one per second, and time out here).
        using var barrier = new Barrier(8);

        var ys = await Par.Map(Enumerable.Range(0, 8), x => barrier.SignalAndWait(TimeSpan.FromSeconds(30)) ? x : -1,
            new ParOptions { Workers = 8, BatchSize = 1 });

        Assert.Equal(Enumerable.Range(0, 8), ys);
    }

    [Fact]
    public async Task Map_Progress_CountsEveryItemAndEndsComplete()
    {
        var log = new TestSupport.ProgressLog();

        await Par.Map(Enumerable.Range(0, 20_000).ToArray(), x => { if (x % 1000 == 0) { Thread.SpinWait(10_000); } return x; },
            new ParOptions { Progress = log, ProgressInterval = TimeSpan.Zero });

        var updates = log.Updates.ToArray();
        Assert.True(updates.Length >= 2);
        var last = updates[^1];
        Assert.Equal(20_000, last.Done);
        Assert.Equal(0, last.Failed);
        Assert.Equal(20_000, last.Total);
        Assert.Equal(1.0, last.Fraction);
        Assert.All(updates, u => Assert.InRange(u.Done, 0, 20_000));
    }

    [Fact]
    public async Task Map_ProgressInterval_LimitsUpdateRate()
    {
        var log = new TestSupport.ProgressLog();

        await Par.Map(Enumerable.Range(0, 100_000).ToArray(), x => x, new ParOptions { Progress = log, ProgressInterval = TimeSpan.FromHours(1), BatchSize = 10 });

        // Only the final update: the interval never elapsed.
        Assert.Single(log.Updates);
    }

    [Fact]
    public async Task Map_FailedItems_CountedInProgress()
    {
        var log = new TestSupport.ProgressLog();

        await Par.MapOutcomes(Enumerable.Range(0, 1_000).ToArray(), x => x < 10 ? throw new InvalidOperationException() : x, new ParOptions { Progress = log });

        Assert.Equal(10, log.Updates.Last().Failed);
        Assert.Equal(990, log.Updates.Last().Done);
    }

    [Fact]
    public async Task Map_ProgressCallbackThrows_StopsSayingItWasTheCallback()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Par.Map(Enumerable.Range(0, 1_000).ToArray(), x => x, new ParOptions { Progress = new ThrowingProgress(), ProgressInterval = TimeSpan.Zero }));

        Assert.StartsWith("The progress callback (ParOptions.Progress, ThrowingProgress) threw FormatException: bad format", e.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(e.InnerException);
    }

    [Fact]
    public void ProgressInfo_ToString_SameWidthThroughoutARun()
    {
        // Updates of one run (total 1,000,000): counts, rates and ETA change, the line's width does not
        ProgressInfo[] updates =
        [
            new(0, 0, 1_000_000, TimeSpan.Zero, 0, null),
            new(12, 0, 1_000_000, TimeSpan.FromSeconds(1), 12, TimeSpan.FromHours(23)),
            new(512_345, 3, 1_000_000, TimeSpan.FromSeconds(9), 56_927.2, TimeSpan.FromSeconds(8.6)),
            new(999_990, 10, 1_000_000, TimeSpan.FromSeconds(17), 58_823, TimeSpan.Zero),
        ];

        var lines = updates.Select(u => u.ToString()).ToList();

        Assert.Single(lines.Select(l => l.Length).Distinct());
        Assert.Equal("        0/1,000,000 items,         0 failed,          0 items/s, ETA --:--:--", lines[0]);
        Assert.Equal("  512,348/1,000,000 items,         3 failed,     56,927 items/s, ETA 00:00:08", lines[2]);
        Assert.EndsWith("ETA 120:00:00", new ProgressInfo(1, 0, 10, TimeSpan.Zero, 1, TimeSpan.FromDays(5)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_CallerCancelsWhileItemsIgnoreTheToken_SaysWhichItemsItWaitedFor()
    {
        // Given items 0 and 1 running on two threads, ignoring cancellation
        using var cts = new CancellationTokenSource();
        using var started = new CountdownEvent(2);
        using var release = new ManualResetEventSlim();
        var map = Task.Run(() => Par.Map(Enumerable.Range(0, 10).ToArray(), x =>
        {
            if (x < 2)
            {
                started.Signal();
                release.Wait();
            }
            return x;
        }, new ParOptions { Workers = 2, BatchSize = 1 }, cts.Token));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));

        // When the caller cancels, and the items end only afterwards
        cts.Cancel();
        release.Set();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => map);

        // Then the cancellation carries the caller's token and names the items that were in flight
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.StartsWith("The run was cancelled while items 0, 1 were in flight; it waited ", e.Message, StringComparison.Ordinal);
        Assert.Contains("takes the run's CancellationToken", e.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingProgress : IProgress<ProgressInfo>
    {
        public void Report(ProgressInfo value) => throw new FormatException("bad format");
    }

    [Fact]
    public async Task Map_Nested_InnerRunsOnOuterWorkerThread()
    {
        // Given an outer map whose function runs an inner map
        var innerOnOtherThread = 0;

        // When both run
        var sums = await Par.Map(Enumerable.Range(0, 200), x =>
        {
            var outer = Thread.CurrentThread;
            var inner = Par.MapSync(Enumerable.Range(0, 100), y =>
            {
                if (Thread.CurrentThread != outer)
                {
                    Interlocked.Increment(ref innerOnOtherThread);
                }
                return x * y;
            });
            return inner.Sum();
        }, new ParOptions { Workers = 4 });

        // Then results are right and the inner maps started no threads of their own (no oversubscription)
        Assert.Equal(Enumerable.Range(0, 200).Select(x => x * 4950), sums);
        Assert.Equal(0, innerOnOtherThread);
    }

    [Fact]
    public async Task Map_NestedAsync_DoesNotDeadlock()
    {
        var sums = await Par.Map(Enumerable.Range(0, 50), async x => (await Par.Map(Enumerable.Range(0, 10), y => x + y)).Sum(), new ParOptions { Workers = 2 });

        Assert.Equal(Enumerable.Range(0, 50).Select(x => (10 * x) + 45), sums);
    }

    [Fact]
    public async Task Map_Report_DescribesTheRunAndStatesNoSpeedupWithoutABaseline()
    {
        var result = await Par.MapOutcomes(Enumerable.Range(0, 50_000).ToArray(), x => x, new ParOptions { Workers = 2 });
        var report = result.Report;

        Assert.Equal(50_000, report.Succeeded);
        Assert.Equal(0, report.Failed);
        Assert.Equal(2, report.Workers);
        Assert.Equal("threads", report.Executor);
        Assert.True(report.Batches > 0);
        Assert.True(report.BatchSize >= 1);
        Assert.True(report.Wall > TimeSpan.Zero);
        Assert.InRange(report.ItemTime, TimeSpan.Zero, report.Busy);
        Assert.InRange(report.Parallelism, 0, 2.5);
        Assert.Null(report.Speedup);
        Assert.Null(report.Efficiency);
        Assert.False(report.Stopped);
        Assert.Contains("50,000 items", report.ToString());
        Assert.Contains("parallelism", report.ToString());
        Assert.DoesNotMatch(@"speedup \d", report.ToString());
    }

    [Fact]
    public async Task Map_AfterAdvise_ReportStatesSpeedupAgainstTheAdvisePilot()
    {
        // Given a function whose per-item time Par.Advise measured (items run alone on this thread)
        Func<int, double> f = x => Spin(x, 2_000);
        await Par.Advise(Enumerable.Range(0, 64).ToArray(), f);

        // When a map of it runs
        var report = (await Par.MapOutcomes(Enumerable.Range(0, 2_000).ToArray(), f, new ParOptions { Workers = 2 })).Report;

        // Then its report states a speedup, against that baseline
        Assert.NotNull(report.Speedup);
        Assert.Contains("Par.Advise", report.SerialBasis, StringComparison.Ordinal);
        Assert.Equal(report.SerialEstimate!.Value / report.Wall, report.Speedup!.Value, 6);
        Assert.Matches(@"speedup \d+\.\d\dx", report.ToString());
    }

    [Fact]
    public async Task Map_MoreThreadsThanCores_ItemsWaitingForACpuAreMeasuredNotCountedAsParallelism()
    {
        // Given 4 threads per core, each spinning for 20 ms (they must take turns on the cores)
        var workers = 4 * Environment.ProcessorCount;

        // When they run side by side
        var report = (await Par.MapOutcomes(Enumerable.Range(0, workers), x => Spin(x, 2_000_000), new ParOptions { Workers = workers, BatchSize = 1 })).Report;

        // Then the time they waited for a CPU is measured, and the parallelism is no more than the cores could give
        Assert.True(report.CpuWait > TimeSpan.Zero, report.ToString());
        Assert.InRange(report.Parallelism, 0, Environment.ProcessorCount + 0.5);
    }

    private static double Spin(int x, int rounds)
    {
        var v = (double)x;
        for (var i = 0; i < rounds; i++)
        {
            v = (v * 1.0000001) + 1e-9;
        }
        return v;
    }

    [Fact]
    public async Task Map_FixedBatchSize_IsUsed()
    {
        var result = await Par.MapOutcomes(Enumerable.Range(0, 1_000).ToArray(), x => x, new ParOptions { BatchSize = 100 });

        Assert.Equal(10, result.Report.Batches);
        Assert.Equal(100, result.Report.BatchSize);
    }

    [Fact]
    public async Task Map_InputEnumeratorThrows_ThatExceptionSurfaces()
    {
        static IEnumerable<int> Broken()
        {
            yield return 1;
            throw new FormatException("bad line 2");
        }

        var e = await Assert.ThrowsAsync<FormatException>(() => Par.Map(Broken(), x => x));

        Assert.Equal("bad line 2", e.Message);
    }

    [Theory]
    [InlineData(nameof(ParOptions.Workers))]
    [InlineData(nameof(ParOptions.BatchSize))]
    [InlineData(nameof(ParOptions.Retries))]
    [InlineData(nameof(ParOptions.MaxInFlight))]
    public async Task Map_BadOption_ArgumentErrorNamesIt(string name)
    {
        var options = name switch
        {
            nameof(ParOptions.Workers) => new ParOptions { Workers = 0 },
            nameof(ParOptions.BatchSize) => new ParOptions { BatchSize = 0 },
            nameof(ParOptions.Retries) => new ParOptions { Retries = -1 },
            _ => new ParOptions { MaxInFlight = 0 },
        };

        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Par.Map(new[] { 1 }, x => x, options));

        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public async Task Map_NullArguments_ArgumentNullException()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Par.Map<int, int>(null!, x => x));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Par.Map(new[] { 1 }, (Func<int, int>)null!));
    }
}
