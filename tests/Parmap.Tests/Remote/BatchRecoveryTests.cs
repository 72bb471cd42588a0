using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using Parmap.Remote;

namespace Parmap.Tests.Remote;

/// <summary>The recovery policy of remote executors, driven by a simulated worker (no processes).</summary>
public class BatchRecoveryTests
{
    [Property(MaxTest = 300)]
    public Property Crashed_AnyPoisonItems_ExactlyThosePositionsFailAndEveryOtherRuns(PositiveInt size, int[] poisonSeeds)
    {
        // Given a batch where some positions kill any worker that runs them
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
                if (recovery.Crashed(range))
                {
                    outcome[range.Lo] = "failed";
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

    [Fact]
    public void Crashed_FirstTimeForARange_RunsItWholeOnceMore()
    {
        var recovery = new BatchRecovery(10);
        Assert.True(recovery.TryNext(out var range));

        Assert.False(recovery.Crashed(range));

        Assert.True(recovery.TryNext(out var again));
        Assert.Equal(new BatchRange(0, 10, 1), again);
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
