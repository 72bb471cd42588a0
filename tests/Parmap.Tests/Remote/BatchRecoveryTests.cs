using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using Parmap.Remote;

namespace Parmap.Tests.Remote;

/// <summary>The recovery policy of remote executors, driven by a simulated worker (no processes).</summary>
public class BatchRecoveryTests
{
    [Property(MaxTest = 300)]
    public Property Crashed_PositionUnknown_ExactlyThePoisonPositionsFailAndEveryOtherRuns(PositiveInt size, int[] poisonSeeds)
    {
        // Given a batch where some positions kill any worker that runs them, and workers that tell nothing before dying
        var count = (size.Get % 200) + 1;
        var poison = poisonSeeds.Select(s => (int)((uint)s % (uint)count)).ToHashSet();

        // When the policy runs it against a simulated worker (a range with a poison item crashes it; else it runs whole)
        var recovery = new BatchRecovery(count);
        var outcome = new string?[count];
        var steps = 0;
        while (recovery.TryNext(out var range))
        {
            if (++steps > 100_000)
            {
                return false.Label("the policy did not terminate");
            }
            if (Enumerable.Range(range.Lo, range.Count).Any(poison.Contains))
            {
                if (recovery.Crashed(range, range.Lo, running: null) is { } failed)
                {
                    outcome[failed] = "failed";
                }
                continue;
            }
            for (var p = range.Lo; p < range.Hi; p++)
            {
                outcome[p] = "ran";
            }
            recovery.Done(range, range.Hi);
        }

        // Then every position has an outcome: exactly the poison ones failed
        var ok = recovery.Ran == count && Enumerable.Range(0, count).All(p => outcome[p] == (poison.Contains(p) ? "failed" : "ran"));
        return ok.Label($"count {count}, poison {string.Join(",", poison)}");
    }

    [Property(MaxTest = 300)]
    public Property Crashed_RunningPositionKnown_PoisonRunsOnceAndOnlyUnsentItemsRunAgain(PositiveInt size, int[] poisonSeeds, PositiveInt flushSeed)
    {
        // Given poison positions, and workers that send finished outcomes every `flush` items and tell which item runs
        var count = (size.Get % 200) + 1;
        var poison = poisonSeeds.Select(s => (int)((uint)s % (uint)count)).ToHashSet();
        var flush = (flushSeed.Get % 5) + 1;
        var executions = new int[count];
        var outcome = new string?[count];
        var recovery = new BatchRecovery(count);
        var steps = 0;

        // When the policy runs the batch against them
        while (recovery.TryNext(out var range))
        {
            if (++steps > 100_000)
            {
                return false.Label("the policy did not terminate");
            }
            var sent = range.Lo;
            var crashedAt = -1;
            for (var p = range.Lo; p < range.Hi; p++)
            {
                executions[p]++;
                if (poison.Contains(p))
                {
                    crashedAt = p;
                    break;
                }
                outcome[p] = "ran";
                if ((p - range.Lo + 1) % flush == 0)
                {
                    sent = p + 1;
                }
            }
            if (crashedAt < 0)
            {
                recovery.Done(range, range.Hi);
                continue;
            }
            // Outcomes after the last send are lost with the worker
            for (var p = sent; p < crashedAt; p++)
            {
                outcome[p] = null;
            }
            if (recovery.Crashed(range, sent, crashedAt) is { } failed)
            {
                outcome[failed] = "failed";
            }
        }

        // Then the poison positions failed after one execution each, every other position ran, and an item ran again
        // only when it had finished but not been sent (fewer than `flush` items per crash)
        var ok = recovery.Ran == count
            && Enumerable.Range(0, count).All(p => outcome[p] == (poison.Contains(p) ? "failed" : "ran"))
            && poison.All(p => executions[p] == 1)
            && executions.Sum() - count <= poison.Count * (flush - 1);
        return ok.Label($"count {count}, flush {flush}, poison {string.Join(",", poison)}, extra {executions.Sum() - count}");
    }

    [Fact]
    public void Crashed_RunningPositionKnown_FailsItAndRunsTheUnsentOnes()
    {
        var recovery = new BatchRecovery(10);
        Assert.True(recovery.TryNext(out var range));

        // Positions 0-2 were sent, 3-5 finished unsent, 6 was running
        Assert.Equal(6, recovery.Crashed(range, 3, 6));

        Assert.Equal(3, recovery.Ran);
        Assert.True(recovery.TryNext(out var before));
        Assert.Equal(new BatchRange(3, 6, 0), before);
        recovery.Done(before, 6);
        Assert.Equal(7, recovery.Ran);
        Assert.True(recovery.TryNext(out var after));
        Assert.Equal(new BatchRange(7, 10, 0), after);
    }

    [Fact]
    public void Crashed_PositionUnknownFirstTimeForARange_RunsTheUnsentRestOnceMore()
    {
        var recovery = new BatchRecovery(10);
        Assert.True(recovery.TryNext(out var range));

        Assert.Null(recovery.Crashed(range, 4, null));

        Assert.Equal(4, recovery.Ran);
        Assert.True(recovery.TryNext(out var again));
        Assert.Equal(new BatchRange(4, 10, 1), again);
    }

    [Fact]
    public void TimedOut_ItemInTheMiddle_RestRunsAfterIt()
    {
        var recovery = new BatchRecovery(10);
        recovery.TryNext(out var range);

        recovery.TimedOut(range, 4);

        Assert.Equal(5, recovery.Ran);
        Assert.True(recovery.TryNext(out var rest));
        Assert.Equal(new BatchRange(5, 10, 0), rest);
    }

    [Fact]
    public void Unsendable_ItemInTheMiddle_BeforeAndAfterRunWithoutIt()
    {
        var recovery = new BatchRecovery(10);
        recovery.TryNext(out var range);

        recovery.Unsendable(range, 3);

        Assert.True(recovery.TryNext(out var before));
        Assert.Equal(new BatchRange(0, 3, 0), before);
        Assert.True(recovery.TryNext(out var after));
        Assert.Equal(new BatchRange(4, 10, 0), after);
    }

    [Fact]
    public void Done_Cancelled_NothingMoreRuns()
    {
        var recovery = new BatchRecovery(10);
        recovery.TryNext(out var range);
        range = recovery.Cut(range, 4);

        recovery.Done(range, 2);

        Assert.Equal(2, recovery.Ran);
        Assert.False(recovery.TryNext(out _));
    }

    [Fact]
    public void Cut_WorkerBudget_RestQueuedAfterIt()
    {
        var recovery = new BatchRecovery(10);
        recovery.TryNext(out var range);

        var now = recovery.Cut(range, 3);
        recovery.Done(now, now.Hi);

        Assert.Equal(new BatchRange(0, 3, 0), now);
        Assert.True(recovery.TryNext(out var later));
        Assert.Equal(new BatchRange(3, 10, 0), later);
    }
}
