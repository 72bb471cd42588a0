using Parmap.Tests.Journaling;

namespace Parmap.Tests.Simulation;

public class MonteCarloJournalTests
{
    [Fact]
    public async Task Run_WithJournalInterruptedThenResumed_BitIdenticalAndRecordedBlocksNotRerun()
    {
        // Given a reference run, and a journaled run of the same trial function cancelled after about half its trials
        using var temp = new TempJournal();
        var options = new MonteCarloOptions { BlockSize = 100, Histogram = new HistogramOptions(10, 2.5, 3.8) };
        var reference = await MonteCarlo.Run(6000, 11, Counting.Trial, options);
        var journaled = options with { ParOptions = temp.Options() with { BatchSize = 1 } };
        Counting.Reset(cancelAt: 3000);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MonteCarlo.Run(6000, 11, Counting.Trial, journaled, Counting.Token));
        var recordedBlocks = Journal.Open(temp.Path).Done;

        // When the same run is started again with the same journal
        Counting.Reset(cancelAt: long.MaxValue);
        var resumed = await MonteCarlo.Run(6000, 11, Counting.Trial, journaled);

        // Then the estimate is the uninterrupted one, bit for bit, and the recorded blocks did not run again
        Assert.InRange(recordedBlocks, 1, 59);
        Assert.Equal(6000 - (recordedBlocks * 100), Counting.Trials);
        Assert.Equal(BitConverter.DoubleToInt64Bits(reference.Mean), BitConverter.DoubleToInt64Bits(resumed.Mean));
        Assert.Equal(BitConverter.DoubleToInt64Bits(reference.Variance), BitConverter.DoubleToInt64Bits(resumed.Variance));
        Assert.Equal(reference.Convergence, resumed.Convergence);
        Assert.Equal(reference.Histogram?.Counts, resumed.Histogram?.Counts);
        Assert.Equal(reference.ToString(), resumed.ToString());
    }

    /// <summary>A trial that counts its calls, cancels a token at a given count and fails every later trial as cancelled; its state is static, so the function's identity is the same in every run.</summary>
    private static class Counting
    {
        private static long s_trials;
        private static long s_cancelAt = long.MaxValue;
        private static CancellationTokenSource s_cancel = new();

        public static long Trials => Interlocked.Read(ref s_trials);

        public static CancellationToken Token => s_cancel.Token;

        public static void Reset(long cancelAt)
        {
            s_trials = 0;
            s_cancelAt = cancelAt;
            s_cancel = new CancellationTokenSource();
        }

        public static double Trial(Rng rng)
        {
            var count = Interlocked.Increment(ref s_trials);
            if (count == s_cancelAt)
            {
                s_cancel.Cancel();
            }
            else if (count > s_cancelAt)
            {
                // Honours the cancellation like a long trial would: no block that runs a trial after it is recorded,
                // however long the cancelling thread takes to reach the run's lanes.
                throw new OperationCanceledException(s_cancel.Token);
            }
            return MonteCarloTests.PiTrial(rng, 8);
        }
    }
}
