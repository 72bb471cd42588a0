using Parmap.Tables;

namespace Parmap.Tests.Journaling;

public class JournalExportTests
{
    [Fact]
    public async Task ExportCsv_GridSweep_HasOneColumnPerAxisWithTheAxisValues()
    {
        using var temp = new TempJournal();
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 3), Axis.Values("beta", 2, 5));
        await Par.Map(grid, p => p.Item1 * p.Item2, temp.Options());
        var csv = Path.Combine(temp.Directory, "out.csv");

        var journal = Journal.Open(temp.Path);
        journal.ExportCsv(csv);

        Assert.NotNull(journal.Grid);
        Assert.Equal(["alpha", "beta"], journal.Grid.Axes.Select(a => a.Name));
        Assert.Equal([0.0, 0.5, 1.0], Enumerable.Range(0, 3).Select(i => (double)journal.Grid.Axes[0].GetValue(i)));
        Assert.Equal(typeof(int), journal.Grid.Axes[1].ValueType);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.Equal(
        [
            "index,status,alpha,beta,value,error",
            "0,done,0,2,0,",
            "1,done,0,5,0,",
            "2,done,0.5,2,1,",
            "3,done,0.5,5,2.5,",
            "4,done,1,2,2,",
            "5,done,1,5,5,",
        ], lines);
    }

    [Fact]
    public async Task ExportParquet_GridSweepWithFailure_TypedColumnsAndNullForTheFailedValue()
    {
        using var temp = new TempJournal();
        var grid = Grid.Zip(Axis.Values("name", "a", "b", "c"), Axis.Values("k", 1.5, 2.5, 3.5));
        await Assert.ThrowsAsync<ItemsFailedException>(() => Par.Map(grid, p => p.Item1 == "b" ? throw new ArgumentException("no b") : p.Item2 * 2,
            temp.Options() with { ErrorPolicy = ErrorPolicy.Collect }));
        var parquet = Path.Combine(temp.Directory, "out.parquet");

        await Journal.Open(temp.Path).ExportParquetAsync(parquet);

        var (names, types, columns) = await TableFile.ReadParquetAsync(parquet, CancellationToken.None);
        Assert.Equal(["index", "status", "name", "k", "value", "error"], names);
        Assert.Equal([0L, 1L, 2L], (long[])columns[0]);
        Assert.Equal(["done", "failed", "done"], (string[])columns[1]);
        Assert.Equal(["a", "b", "c"], (string[])columns[2]);
        Assert.Equal([1.5, 2.5, 3.5], (double[])columns[3]);
        Assert.Equal(typeof(double?), types[4]);
        Assert.Equal([3.0, null, 7.0], (double?[])columns[4]);
        Assert.Equal(["", "System.ArgumentException: no b", ""], (string[])columns[5]);
    }

    [Fact]
    public async Task ExportParquet_RecordInputsAndResults_OneTypedColumnPerProperty()
    {
        using var temp = new TempJournal();
        var inputs = new[] { new Job("x", 3, true), new Job("y", 4, false) };
        await Par.Map(inputs, j => new Outcome(j.Size * 0.5, j.Size * 2), temp.Options());
        var parquet = Path.Combine(temp.Directory, "out.parquet");

        Journal.Open(temp.Path).ExportParquet(parquet);

        var (names, _, columns) = await TableFile.ReadParquetAsync(parquet, CancellationToken.None);
        Assert.Equal(["index", "status", "input.Name", "input.Size", "input.Fast", "value.Mean", "value.Count", "error"], names);
        Assert.Equal(["x", "y"], (string[])columns[2]);
        Assert.Equal([3L, 4L], (long[])columns[3]);
        Assert.Equal([true, false], (bool[])columns[4]);
        Assert.Equal([1.5, 2.0], (double[])columns[5]);
        Assert.Equal([6L, 8L], (long[])columns[6]);
    }

    [Fact]
    public async Task Grid_PlainMap_IsNull()
    {
        using var temp = new TempJournal();
        await Par.Map([1, 2, 3], x => x, temp.Options());

        Assert.Null(Journal.Open(temp.Path).Grid);
    }

    public sealed record Job(string Name, int Size, bool Fast);

    public sealed record Outcome(double Mean, int Count);
}
