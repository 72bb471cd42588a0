using System.Collections.Concurrent;

using Microsoft.Extensions.Time.Testing;

using Parmap.Executors;
using Parmap.Executors.Threads;
using Parmap.Scheduling;

namespace Parmap.Tests.Scheduling;

/// <summary>The scheduler alone: a fake runner and ledger instead of an executor's, real lanes.</summary>
public class SchedulerTests
{
    [Fact]
    public async Task RunAsync_ThreeLanes_EveryIndexDeliveredOnceAndReportCountsBatches()
    {
        // Given 10,000 inputs and a runner that doubles them and records each batch
        var runner = new FakeRunner(x => x * 2);
        var sink = new ArraySink<int, int>(10_000);

        // When scheduled on three lanes
        var report = await RunAsync(Enumerable.Range(0, 10_000).ToArray(), runner, sink, Settings(3));

        // Then every result is in its slot, and the report counts what the runner saw
        Assert.Equal(Enumerable.Range(0, 10_000).Select(x => x * 2), sink.Values(10_000));
        Assert.Equal(10_000, report.Succeeded);
        Assert.Equal(runner.Batches.Count, (int)report.Batches);
        Assert.Equal(10_000, runner.Batches.Sum(b => b.Length));
        Assert.Equal(3, report.Workers);
        Assert.Equal("fake", report.Executor);
    }

    [Fact]
    public async Task RunAsync_TransientFailure_RetriedAsSmallerBatchUntilItSucceeds()
    {
        // Given a runner that fails item 5 on its first two attempts
        var attempts = new ConcurrentDictionary<int, int>();
        var runner = new FakeRunner(x => x == 5 && attempts.AddOrUpdate(x, 1, (_, a) => a + 1) <= 2 ? throw new TimeoutException() : x);
        var sink = new ArraySink<int, int>(20);

        // When scheduled with 3 retries
        var report = await RunAsync(Enumerable.Range(0, 20).ToArray(), runner, sink, Settings(1) with { Retries = 3, BatchSize = 10 });

        // Then it succeeded on its third attempt, the retries ran only that item, and the report counts them
        Assert.Equal(Enumerable.Range(0, 20), sink.Values(20));
        Assert.Equal(3, attempts[5]);
        Assert.Equal(2, report.Retried);
        Assert.Equal([10, 1, 1, 10], runner.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task RunAsync_StopPolicy_LowestFailureThrownWithAttemptsAndLanesStop()
    {
        var runner = new FakeRunner(x => x >= 50 ? throw new FormatException($"bad {x}") : x);
        var sink = new ArraySink<int, int>(100_000);

        var e = await Assert.ThrowsAsync<ItemFailedException>(() => RunAsync(Enumerable.Range(0, 100_000).ToArray(), runner, sink, Settings(1) with { BatchSize = 10 }));

        Assert.Equal(50, e.Index);
        Assert.Equal(1, e.Attempts);
        Assert.True(runner.Batches.Count < 10, "the lane went on after the failure");
    }

    [Fact]
    public async Task RunAsync_Drained_FinishesTheBatchInHandAndTakesNoOther()
    {
        // Given a lane of batches of 10, drained while its third batch runs
        using var drain = new CancellationTokenSource();
        var runner = new FakeRunner(x =>
        {
            if (x == 25)
            {
                drain.Cancel();
            }
            return x;
        });
        var sink = new ArraySink<int, int>(1_000);

        var report = await RunAsync(Enumerable.Range(0, 1_000).ToArray(), runner, sink, Settings(1) with { BatchSize = 10, DrainToken = drain.Token });

        // Then the third batch completed, and nothing after it ran
        Assert.Equal(3, runner.Batches.Count);
        Assert.Equal(30, report.Succeeded);
        Assert.True(report.Stopped);
    }

    [Fact]
    public async Task RunAsync_LedgerSettlesEvenItems_RunnerSeesOnlyOddOnesAndReportCountsResumed()
    {
        var runner = new FakeRunner(x => x + 1000);
        var sink = new ArraySink<int, int>(100);
        var ledger = new EvenSettled();

        var report = await RunAsync(Enumerable.Range(0, 100).ToArray(), runner, sink, Settings(2), ledger);

        Assert.All(runner.Batches.SelectMany(b => b), x => Assert.Equal(1, x % 2));
        Assert.Equal(Enumerable.Range(0, 100).Select(x => x % 2 == 0 ? -x : x + 1000), sink.Values(100));
        Assert.Equal(50, report.Resumed);
        Assert.Equal(50, report.Succeeded);
        Assert.Equal(50, ledger.Recorded);
    }

    [Fact]
    public void Snapshot_FakeClock_RateAndEtaFromElapsedTime()
    {
        // Given a run of 300 items on a fake clock
        var time = new FakeTimeProvider();
        var meter = new RunMeter(Settings(2) with { Time = time }, () => 300);
        meter.Start();

        // When 100 items finished after 2 s
        time.Advance(TimeSpan.FromSeconds(2));
        meter.Succeeded(100);
        var progress = meter.Snapshot();

        // Then 50 items/s, and 200 more take 4 s
        Assert.Equal(50, progress.ItemsPerSecond, 6);
        Assert.Equal(TimeSpan.FromSeconds(4), progress.Eta);
        Assert.Equal(TimeSpan.FromSeconds(2), progress.Elapsed);
    }

    [Fact]
    public void MaybeReportProgress_FakeClock_AtMostOncePerInterval()
    {
        var time = new FakeTimeProvider();
        var log = new TestSupport.ProgressLog();
        var meter = new RunMeter(Settings(1) with { Time = time, Progress = log, ProgressInterval = TimeSpan.FromMilliseconds(100) }, () => null);
        meter.Start();

        meter.MaybeReportProgress();
        time.Advance(TimeSpan.FromMilliseconds(99));
        meter.MaybeReportProgress();
        time.Advance(TimeSpan.FromMilliseconds(1));
        meter.MaybeReportProgress();
        meter.MaybeReportProgress();

        Assert.Single(log.Updates);
        Assert.Null(log.Updates.Single().Eta);
    }

    [Fact]
    public void ItemTimePerItem_SlowWarmUp_TheItemsAfterTheWarmUp()
    {
        // Given a one-lane run whose first batches (the JIT's quick tier) take 10 ms per item, and later ones 1 ms
        var time = new FakeTimeProvider();
        var meter = new RunMeter(Settings(1) with { Time = time }, () => null);
        meter.Start();
        for (var b = 0; b < 3; b++)
        {
            var t0 = meter.Timestamp();
            time.Advance(TimeSpan.FromMilliseconds(100));
            meter.BatchDone(t0, 10, TimeSpan.FromMilliseconds(100), TimeSpan.Zero);
        }
        for (var b = 0; b < 10; b++)
        {
            var t0 = meter.Timestamp();
            time.Advance(TimeSpan.FromMilliseconds(10));
            meter.BatchDone(t0, 10, TimeSpan.FromMilliseconds(10), TimeSpan.Zero);
        }

        // Then the per-item time is the later batches' (the first batch starting at 0.3 s is past the 0.25 s warm-up)
        Assert.Equal(TimeSpan.FromMilliseconds(1), meter.ItemTimePerItem());
    }

    [Fact]
    public void ItemTimePerItem_MostItemsInTheWarmUp_AllItems()
    {
        // Given a run whose items after the warm-up are fewer than half: too few to stand for the run
        var time = new FakeTimeProvider();
        var meter = new RunMeter(Settings(1) with { Time = time }, () => null);
        meter.Start();
        Assert.Null(meter.ItemTimePerItem());
        var t0 = meter.Timestamp();
        time.Advance(TimeSpan.FromMilliseconds(300));
        meter.BatchDone(t0, 30, TimeSpan.FromMilliseconds(300), TimeSpan.Zero);
        t0 = meter.Timestamp();
        time.Advance(TimeSpan.FromMilliseconds(10));
        meter.BatchDone(t0, 10, TimeSpan.FromMilliseconds(10), TimeSpan.Zero);

        // Then the per-item time is over all 40 items
        Assert.Equal(TimeSpan.FromMilliseconds(310.0 / 40), meter.ItemTimePerItem());
    }

    private static SchedulerSettings Settings(int lanes) => new()
    {
        Lanes = lanes,
        TargetBatchDuration = TimeSpan.FromMilliseconds(2),
        MaxBatch = 1 << 16,
        ExecutorName = "fake",
    };

    private static async Task<RunReport> RunAsync(int[] inputs, FakeRunner runner, ResultSink<int, int> sink, SchedulerSettings settings, IRunLedger<int, int>? ledger = null)
    {
        await using var executor = new ThreadExecutor(settings.Lanes);
        var scheduler = new Scheduler<int, int>(InputSource<int>.Create(inputs), runner, sink, ledger, settings);
        return await scheduler.RunAsync(executor);
    }

    /// <summary>Runs each item through a function on the calling lane and records the inputs of every batch.</summary>
    private sealed class FakeRunner(Func<int, int> f) : IBatchRunner<int, int>
    {
        private readonly LocalBatchRunner<int, int> _local = new(WorkFunction<int, int>.From(f));

        public ConcurrentQueue<int[]> Batches { get; } = new();

        public ValueTask RunAsync(int lane, Batch<int, int> batch, CancellationToken cancellationToken)
        {
            Batches.Enqueue(batch.Inputs[..batch.Count]);
            return _local.RunAsync(lane, batch, cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A ledger whose even items were settled in an earlier run (their value is minus the input).</summary>
    private sealed class EvenSettled : IRunLedger<int, int>
    {
        private int _recorded;

        public int Recorded => _recorded;

        public int SkipSettled(Batch<int, int> batch, ResultSink<int, int> sink)
        {
            var settled = new Batch<int, int>(batch.Count);
            settled.Reset(batch.Count);
            var kept = 0;
            var done = 0;
            for (var p = 0; p < batch.Count; p++)
            {
                if (batch.Inputs[p] % 2 == 0)
                {
                    settled.Indices[done] = batch.Indices[p];
                    settled.Values[done++] = -batch.Inputs[p];
                }
                else
                {
                    batch.Indices[kept] = batch.Indices[p];
                    batch.Inputs[kept++] = batch.Inputs[p];
                }
            }
            settled.Count = settled.Ran = done;
            sink.DeliverValues(settled);
            batch.Count = kept;
            batch.Contiguous = false;
            return done;
        }

        public void RecordValues(Batch<int, int> batch) => Interlocked.Add(ref _recorded, batch.Ran - batch.FailedCount);

        public void RecordFailure(ItemFailedException failure)
        {
        }
    }
}
