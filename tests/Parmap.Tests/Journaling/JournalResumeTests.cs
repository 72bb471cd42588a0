using System.Runtime.CompilerServices;

namespace Parmap.Tests.Journaling;

public class JournalResumeTests
{
    private static readonly int[] s_inputs = [.. Enumerable.Range(0, 2000)];

    [Fact]
    public async Task Map_FreshJournal_RecordsEveryItemExactlyOnce()
    {
        using var temp = new TempJournal();

        var ys = await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());

        Assert.Equal(s_inputs.Select(x => x * 3L), ys);
        var journal = Journal.Open(temp.Path);
        Assert.Equal(2000, journal.Total);
        Assert.Equal(2000, journal.Done);
        Assert.Equal(0, journal.Pending);
        var items = journal.Items();
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long)i), items.Select(i => i.Index));
        Assert.Equal(s_inputs.Select(x => (x * 3L).ToString(System.Globalization.CultureInfo.InvariantCulture)), items.Select(i => i.Value));
        Assert.Equal("finished", Assert.Single(journal.Runs).Outcome);
    }

    [Fact]
    public async Task Map_CompletedJournal_ComputesNothingAndReturnsSameResult()
    {
        using var temp = new TempJournal();
        var first = await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());
        var log = new CallLog();

        var run = await Par.MapOutcomes(s_inputs, log.Triple(), temp.Options());
        var second = run.Values();

        Assert.Equal(first, second);
        Assert.Equal(0, log.Count);
        Assert.Equal(2000, run.Report.Resumed);
        Assert.Equal(0, run.Report.Succeeded);
    }

    [Fact]
    public async Task Map_ResumeAfterCancellation_ComputesOnlyUnrecordedItems()
    {
        // Given a run cancelled half way
        using var temp = new TempJournal();
        using var cts = new CancellationTokenSource();
        var started = 0;
        var triple = new CallLog().Triple();
        var progress = new SyncProgress(p =>
        {
            if (p.Done >= 1000 && Interlocked.Exchange(ref started, 1) == 0)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Par.Map(s_inputs, triple,
            temp.Options() with { BatchSize = 10, Progress = progress, ProgressInterval = TimeSpan.Zero }, cts.Token));
        var recorded = Journal.Open(temp.Path).Items().Select(i => i.Index).ToHashSet();
        Assert.InRange(recorded.Count, 1000, 1999);

        // When the same map resumes
        var log = new CallLog();
        var run = await Par.MapOutcomes(s_inputs, log.Triple(), temp.Options());

        // Then the result is complete and no recorded item was computed again
        Assert.Equal(s_inputs.Select(x => x * 3L), run.Values());
        Assert.DoesNotContain(log.Inputs, x => recorded.Contains(x));
        Assert.Equal(2000 - recorded.Count, log.Count);
        Assert.Equal(recorded.Count, run.Report.Resumed);
        var journal = Journal.Open(temp.Path);
        Assert.Equal(2000, journal.Items().Select(i => i.Index).Distinct().Count());
        Assert.Equal(2000, journal.Done);
        Assert.Equal(["cancelled", "finished"], journal.Runs.Select(r => r.Outcome));
    }

    [Fact]
    public async Task MapOutcomes_FailedItem_IsRecordedAndNotRunAgainByDefault()
    {
        using var temp = new TempJournal();
        var failSeven = new StrongBox<bool>(true);
        var first = await Par.MapOutcomes(s_inputs, new CallLog().Identity(failSeven), temp.Options());
        Assert.Equal(7, Assert.Single(first.Failures).Index);
        var log = new CallLog();
        failSeven.Value = false;

        var second = await Par.MapOutcomes(s_inputs, log.Identity(failSeven), temp.Options());

        Assert.Equal(0, log.Count);
        var failure = Assert.Single(second.Failures);
        var recorded = Assert.IsType<RecordedFailureException>(failure.InnerException);
        Assert.Equal(typeof(InvalidOperationException).FullName, recorded.ErrorType);
        Assert.Equal("seven", recorded.ErrorMessage);
        Assert.Contains("RetryFailedOnResume", failure.Message);
        var journal = Journal.Open(temp.Path);
        Assert.Equal(1, journal.Failed);
        Assert.Equal("7", Assert.Single(journal.Failures).Input);
    }

    [Fact]
    public async Task Map_RetryFailedOnResume_RunsFailedItemAgainAndClearsItsFailure()
    {
        using var temp = new TempJournal();
        var failSeven = new StrongBox<bool>(true);
        await Par.MapOutcomes(s_inputs, new CallLog().Identity(failSeven), temp.Options());
        var log = new CallLog();
        failSeven.Value = false;

        var ys = await Par.Map(s_inputs, log.Identity(failSeven), temp.Options() with { RetryFailedOnResume = true });

        Assert.Equal(s_inputs, ys);
        Assert.Equal([7], log.Inputs);
        var journal = Journal.Open(temp.Path);
        Assert.Equal(0, journal.Failed);
        Assert.Equal(2000, journal.Done);
    }

    [Fact]
    public async Task Map_StopPolicyWithRecordedFailure_ThrowsRecordedFailureWithoutRunning()
    {
        using var temp = new TempJournal();
        var failSeven = new StrongBox<bool>(true);
        await Assert.ThrowsAsync<ItemFailedException>(() => Par.Map(s_inputs, new CallLog().Identity(failSeven), temp.Options()));
        var log = new CallLog();

        var error = await Assert.ThrowsAsync<ItemFailedException>(() => Par.Map(s_inputs, log.Identity(failSeven), temp.Options()));

        Assert.Equal(7, error.Index);
        Assert.IsType<RecordedFailureException>(error.InnerException);
        Assert.Equal(0, log.Count);
    }

    [Fact]
    public async Task Stream_Resume_YieldsEveryItemInOrderWithoutRecomputing()
    {
        using var temp = new TempJournal();
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Par.Stream(s_inputs, new CallLog().Triple(), temp.Options() with { BatchSize = 50 }, cts.Token))
            {
                if (++seen == 700)
                {
                    cts.Cancel();
                }
            }
        });
        var recorded = Journal.Open(temp.Path).Items().Select(i => i.Index).ToHashSet();
        var log = new CallLog();

        var all = new List<long>();
        await foreach (var y in Par.Stream(s_inputs, log.Triple(), temp.Options()))
        {
            all.Add(y);
        }

        Assert.Equal(s_inputs.Select(x => x * 3L), all);
        Assert.DoesNotContain(log.Inputs, x => recorded.Contains(x));
        Assert.InRange(recorded.Count, 700, 2000);
    }

    [Fact]
    public async Task Map_LazySequenceInput_IsReadOnceAndResumes()
    {
        using var temp = new TempJournal();
        var enumerations = 0;
        IEnumerable<int> Inputs()
        {
            enumerations++;
            for (var i = 0; i < 500; i++)
            {
                yield return i;
            }
        }

        var first = await Par.Map(Inputs(), new CallLog().Triple(), temp.Options());
        var run = await Par.MapOutcomes(Inputs(), new CallLog().Triple(), temp.Options());

        Assert.Equal(first, run.Values());
        Assert.Equal(2, enumerations);
        Assert.Equal(500, run.Report.Resumed);
    }

    [Fact]
    public async Task Map_Progress_CountsResumedItemsSeparately()
    {
        using var temp = new TempJournal();
        await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());
        ProgressInfo? last = null;
        var progress = new SyncProgress(p => last = p);

        await Par.Map(s_inputs, new CallLog().Triple(), temp.Options() with { Progress = progress });

        Assert.NotNull(last);
        Assert.Equal(2000, last.Value.Resumed);
        Assert.Equal(0, last.Value.Done);
        Assert.Equal(1.0, last.Value.Fraction);
    }

    [Fact]
    public async Task Map_RecordInputsAndResults_RoundTripThroughTheJournal()
    {
        using var temp = new TempJournal();
        var points = Enumerable.Range(0, 50).Select(i => new Point(i / 10.0, i % 7)).ToArray();
        Func<Point, Sample> model = p => new Sample(p.Alpha * p.Beta, [p.Alpha, p.Beta]);
        var first = await Par.Map(points, model, temp.Options());

        var run = await Par.MapOutcomes(points, model, temp.Options());
        var second = run.Values();

        Assert.Equal(50, run.Report.Resumed);
        Assert.Equal(first.Select(s => (s.Mean, s.Parts[0], s.Parts[1])), second.Select(s => (s.Mean, s.Parts[0], s.Parts[1])));
    }

    private sealed class SyncProgress(Action<ProgressInfo> report) : IProgress<ProgressInfo>
    {
        public void Report(ProgressInfo value) => report(value);
    }
}

public record Point(double Alpha, double Beta);

public record Sample(double Mean, double[] Parts);
