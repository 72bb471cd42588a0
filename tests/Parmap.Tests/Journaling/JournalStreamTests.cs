using System.Runtime.CompilerServices;

namespace Parmap.Tests.Journaling;

/// <summary>Journaled runs over lazy inputs (endless ones included): read as taken, never materialized, resumed by position and input.</summary>
public class JournalStreamTests
{
    private const int Window = 64;

    /// <summary>0, 1, 2, ... for ever (from <paramref name="start"/>), counting what was read.</summary>
    private static IEnumerable<int> Endless(StrongBox<long> pulled, int start = 0)
    {
        for (var i = start; ; i++)
        {
            pulled.Value++;
            yield return i;
        }
    }

    /// <summary>0 .. count-1 as an iterator: its length is not known up front.</summary>
    private static IEnumerable<int> Lazy(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    private static async Task<List<long>> TakeAsync(IAsyncEnumerable<long> stream, int count)
    {
        var got = new List<long>();
        await foreach (var y in stream)
        {
            got.Add(y);
            if (got.Count == count)
            {
                break;
            }
        }
        return got;
    }

    [Fact]
    public async Task Stream_EndlessInput_ReadsWithinTheWindowAndResumesFromTheJournal()
    {
        using var temp = new TempJournal();
        var options = temp.Options() with { MaxInFlight = Window, BatchSize = 4 };
        var pulled = new StrongBox<long>();

        var first = await TakeAsync(Par.Stream(Endless(pulled), new CallLog().Triple(), options), 500);

        Assert.Equal(Enumerable.Range(0, 500).Select(x => x * 3L), first);
        Assert.InRange(pulled.Value, 500, 500 + Window + 1); // bounded: the journal did not read ahead
        var journal = Journal.Open(temp.Path);
        Assert.False(journal.TotalKnown);
        Assert.False(journal.IsComplete);
        Assert.Equal(0, journal.Pending);
        var recorded = journal.Items().Select(i => (int)i.Index).ToHashSet();
        Assert.Superset(Enumerable.Range(0, 500).ToHashSet(), recorded);

        var log = new CallLog();
        var pulledAgain = new StrongBox<long>();
        var second = await TakeAsync(Par.Stream(Endless(pulledAgain), log.Triple(), options), 2000);

        Assert.Equal(Enumerable.Range(0, 2000).Select(x => x * 3L), second);
        Assert.DoesNotContain(log.Inputs, recorded.Contains); // nothing recorded ran again
        Assert.Equal(Enumerable.Range(0, 2000).Where(i => !recorded.Contains(i)), log.Inputs.Where(i => i < 2000).Order());
        Assert.InRange(pulledAgain.Value, 2000, 2000 + Window + 1);
        Assert.InRange(Journal.Open(temp.Path).Done, 2000, 2000 + Window);
    }

    [Fact]
    public async Task Stream_EndlessInput_OtherInputAtARecordedPosition_IsAMismatchNamingIt()
    {
        using var temp = new TempJournal();
        var options = temp.Options() with { MaxInFlight = Window };
        _ = await TakeAsync(Par.Stream(Endless(new StrongBox<long>()), new CallLog().Triple(), options), 200);
        var before = Journal.Open(temp.Path).Items();
        var log = new CallLog();

        var error = await Assert.ThrowsAsync<JournalMismatchException>(() =>
            TakeAsync(Par.Stream(Endless(new StrongBox<long>(), start: 1000), log.Triple(), options), 200));

        // The first mismatch a lane met (lanes take batches side by side): input i of this run is 1000 + i, recorded i.
        var named = System.Text.RegularExpressions.Regex.Match(error.Message, @"this run's input (\d+) is (\d+), and the journal recorded (\d+) at that position");
        Assert.True(named.Success, error.Message);
        var position = int.Parse(named.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((position + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), named.Groups[2].Value);
        Assert.Equal(position.ToString(System.Globalization.CultureInfo.InvariantCulture), named.Groups[3].Value);
        Assert.Contains(".ToList()", error.Message, StringComparison.Ordinal);
        Assert.False(error.FunctionChanged);
        var positions = before.Select(i => i.Index).ToHashSet();
        Assert.DoesNotContain(log.Inputs, x => positions.Contains(x - 1000)); // nothing at a recorded position ran
        var after = Journal.Open(temp.Path).Items().ToDictionary(i => i.Index);
        Assert.All(before, item => Assert.Equal(item, after[item.Index])); // and no recorded item changed
    }

    [Fact]
    public async Task Map_LazyInputOfUnknownLength_ResumedWithMoreInputs_ComputesOnlyTheNewOnes()
    {
        using var temp = new TempJournal();
        _ = await Par.Map(Lazy(1000), new CallLog().Triple(), temp.Options());
        var journal = Journal.Open(temp.Path);
        Assert.False(journal.TotalKnown);
        Assert.True(journal.IsComplete);
        Assert.Equal(1000, journal.Total);
        var log = new CallLog();

        var ys = await Par.Map(Lazy(2000), log.Triple(), temp.Options());

        Assert.Equal(Enumerable.Range(0, 2000).Select(x => x * 3L), ys);
        Assert.Equal(Enumerable.Range(1000, 1000), log.Inputs.Order());
        Assert.Equal(2000, Journal.Open(temp.Path).Done);
    }

    [Fact]
    public async Task Map_LazyInput_FunctionChanged_RefusedBeforeAnythingRuns()
    {
        using var temp = new TempJournal();
        _ = await Par.Map(Lazy(100), new CallLog().Triple(), temp.Options());
        var ran = 0;

        var error = await Assert.ThrowsAsync<JournalMismatchException>(() => Par.Map(Lazy(100), x =>
        {
            Interlocked.Increment(ref ran);
            return x * 4L;
        }, temp.Options() with { JournalMismatch = JournalMismatch.ReuseMatching }));

        Assert.True(error.FunctionChanged);
        Assert.Equal(100, error.Recorded);
        Assert.Contains("pass the inputs as a list", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task Map_LazyInput_RecordedFailure_ReplayedOrRetried()
    {
        using var temp = new TempJournal();
        var failSeven = new StrongBox<bool>(true);
        var options = temp.Options() with { ErrorPolicy = ErrorPolicy.Collect };
        var first = await Par.MapOutcomes(Lazy(50), new CallLog().Identity(failSeven), options);
        Assert.Equal(7, Assert.Single(first.Failures).Index);

        var replayLog = new CallLog();
        var replay = await Par.MapOutcomes(Lazy(50), replayLog.Identity(failSeven), options);
        Assert.Equal(0, replayLog.Count);
        Assert.Contains("seven", Assert.Single(replay.Failures).InnerException!.Message, StringComparison.Ordinal);

        failSeven.Value = false;
        var retryLog = new CallLog();
        var retried = await Par.MapOutcomes(Lazy(50), retryLog.Identity(failSeven), options with { RetryFailedOnResume = true });
        Assert.Equal([7], retryLog.Inputs);
        Assert.Empty(retried.Failures);
        Assert.Equal(Enumerable.Range(0, 50), retried.Values());
        var journal = Journal.Open(temp.Path);
        Assert.Equal(50, journal.Done);
        Assert.Equal(0, journal.Failed);
    }
}
