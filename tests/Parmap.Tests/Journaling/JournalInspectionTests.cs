using System.Runtime.CompilerServices;

namespace Parmap.Tests.Journaling;

public class JournalInspectionTests
{
    [Fact]
    public async Task Open_AfterRunWithFailures_ReportsCountsFailuresAndRuns()
    {
        using var temp = new TempJournal();
        var inputs = Enumerable.Range(0, 100).ToArray();
        await Par.MapOutcomes(inputs, new CallLog().Identity(new StrongBox<bool>(true)), temp.Options());

        var journal = Journal.Open(temp.Path);

        Assert.Equal(100, journal.Total);
        Assert.Equal(99, journal.Done);
        Assert.Equal(1, journal.Failed);
        Assert.Equal(0, journal.Pending);
        Assert.True(journal.IsComplete);
        var failure = Assert.Single(journal.Failures);
        Assert.Equal(7, failure.Index);
        Assert.Equal("seven", failure.Message);
        Assert.Contains("InvalidOperationException", failure.Details);
        var run = Assert.Single(journal.Runs);
        Assert.Equal(Environment.ProcessId, run.ProcessId);
        Assert.Equal(99, run.Computed);
        Assert.Equal(1, run.Failed);
        Assert.NotNull(run.Ended);
        Assert.True(run.Ended >= run.Started);
        Assert.Equal("System.Int32", journal.InputType);
        Assert.Contains("99 done, 1 failed, 0 pending", journal.ToString());
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 7).Select(i => ((long)i, i)), journal.Results<int>());
    }

    [Fact]
    public async Task ExportCsv_RecordInputs_WritesOneColumnPerPropertyInInputOrder()
    {
        using var temp = new TempJournal();
        var points = new[] { new Point(0.5, 2), new Point(1, 3), new Point(0, 0) };
        await Par.MapOutcomes(points, p => p.Beta == 0 ? throw new ArgumentException("beta is zero") : p.Alpha / p.Beta, temp.Options());
        var csv = Path.Combine(temp.Directory, "out.csv");

        Journal.Open(temp.Path).ExportCsv(csv);

        var lines = await File.ReadAllLinesAsync(csv);
        Assert.Equal("index,status,input.Alpha,input.Beta,value,error", lines[0]);
        Assert.Equal("0,done,0.5,2,0.25,", lines[1]);
        Assert.StartsWith("1,done,1,3,0.333", lines[2]);
        Assert.Equal("2,failed,0,0,,System.ArgumentException: beta is zero", lines[3]);
    }
}
