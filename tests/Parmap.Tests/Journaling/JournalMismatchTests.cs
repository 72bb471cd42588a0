namespace Parmap.Tests.Journaling;

public class JournalMismatchTests
{
    private static readonly int[] s_inputs = [.. Enumerable.Range(0, 1000)];

    private static int Square(int x) => x * x;

    private static int Cube(int x) => x * x * x;

    [Fact]
    public async Task Map_ChangedInputs_ThrowsMismatchSayingWhatChangedAndRunsNothing()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());
        var changed = s_inputs.Select(x => x is 17 or 40 ? x + 5000 : x).ToArray();
        var log = new CallLog();

        var error = await Assert.ThrowsAsync<JournalMismatchException>(() => Par.Map(changed, log.Triple(), temp.Options()));

        Assert.Equal(0, log.Count);
        Assert.False(error.FunctionChanged);
        Assert.Equal(1000, error.Recorded);
        Assert.Equal(998, error.Matching);
        Assert.Contains("2 of 1,000 recorded items have another input", error.Message);
        Assert.Contains("first: index 17, recorded input 17, now 5017", error.Message);
        Assert.Contains("JournalMismatch.ReuseMatching", error.Message);
        Assert.Equal(1000, Journal.Open(temp.Path).Done);
    }

    [Fact]
    public async Task Map_ChangedFunction_ThrowsMismatchNamingTheFunction()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, Square, temp.Options());

        var error = await Assert.ThrowsAsync<JournalMismatchException>(() => Par.Map(s_inputs, Cube, temp.Options()));

        Assert.True(error.FunctionChanged);
        Assert.Equal(0, error.Matching);
        Assert.Contains("The function changed", error.Message);
        Assert.Contains("ReuseMatchingInputs", error.Message);
    }

    [Fact]
    public async Task Map_ChangedCapturedValue_IsAChangedFunction()
    {
        using var temp = new TempJournal();
        var factor = 2;
        await Par.Map(s_inputs, x => x * factor, temp.Options());
        factor = 3;

        var error = await Assert.ThrowsAsync<JournalMismatchException>(() => Par.Map(s_inputs, x => x * factor, temp.Options()));

        Assert.True(error.FunctionChanged);
    }

    [Fact]
    public async Task Map_MoreInputs_ReuseMatching_ComputesOnlyTheNewOnes()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, Square, temp.Options());
        var more = Enumerable.Range(-100, 1200).ToArray();
        var log = new CallLog();
        await Par.Map(s_inputs, new CallLog().Triple(), temp.Options() with { Journal = temp.Path + "2" });

        var ys = await Par.Map(more, log.Triple(), temp.Options() with { Journal = temp.Path + "2", JournalMismatch = JournalMismatch.ReuseMatching });

        Assert.Equal(more.Select(x => x * 3L), ys);
        Assert.Equal(Enumerable.Range(-100, 100).Concat(Enumerable.Range(1000, 100)).Order(), log.Inputs.Order());
        var journal = Journal.Open(temp.Path + "2");
        Assert.Equal(1200, journal.Total);
        Assert.Equal(1200, journal.Done);
        Assert.Equal(1, journal.Changes);

        // The journal now matches the new inputs: a plain resume needs no option.
        var again = await Par.MapOutcomes(more, new CallLog().Triple(), temp.Options() with { Journal = temp.Path + "2" });
        Assert.Equal(ys, again.Values());
        Assert.Equal(1200, again.Report.Resumed);
    }

    [Fact]
    public async Task Map_ChangedFunction_ReuseMatching_RecomputesEverything()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, Square, temp.Options());
        var log = new CallLog();

        var ys = await Par.Map(s_inputs, log.Triple(), temp.Options() with { JournalMismatch = JournalMismatch.ReuseMatching });

        Assert.Equal(s_inputs.Select(x => x * 3L), ys);
        Assert.Equal(1000, log.Count);
    }

    [Fact]
    public async Task Map_ChangedFunction_ReuseMatchingInputs_ReusesOldResults()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, Square, temp.Options());
        var calls = 0;

        var ys = await Par.Map(s_inputs, x => { Interlocked.Increment(ref calls); return x * x * 10; }, temp.Options() with { JournalMismatch = JournalMismatch.ReuseMatchingInputs });

        Assert.Equal(s_inputs.Select(Square), ys);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Map_ChangedResultType_IsAChangedFunction()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, x => (long)x, temp.Options());

        var error = await Assert.ThrowsAsync<JournalMismatchException>(() => Par.Map(s_inputs, x => (double)x, temp.Options()));

        Assert.Contains("result type changed", error.Message);
    }
}
