namespace Parmap.Tests.Grids;

public sealed class GridResultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parmap-grid-").FullName;

    public record Measure(double Mean, int Steps, string Label);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Map_Grid_ResultsInPointOrderWithAxes()
    {
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 5), Axis.Linspace("beta", 0, 2, 3));

        var result = await Par.Map(grid, p => (p.Item1 * 10) + p.Item2);

        Assert.Equal(15, result.Count);
        Assert.Same(grid, result.Grid);
        Assert.Equal(grid.Select(p => (p.Item1 * 10) + p.Item2), result.Values.ToArray());
        Assert.Equal(7.5 + 2, result.At(0.75, 2.0));
        Assert.Equal(7.5 + 1, result.AtPositions(3, 1));
        Assert.NotNull(result.Report);
        Assert.Equal(15, result.Report.Succeeded);
    }

    [Fact]
    public async Task AtNearest_SliceNearest_OnTheReadmeAxes_TakeTheClosestValues()
    {
        // The README's axes: 0.25 and 0.5 are not values of Linspace(0, 1, 1000) (i / 999)
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 1000), Axis.Linspace("beta", 0, 1, 1000));
        var surface = await Par.Map(grid, p => (p.Item1 * 1000) + p.Item2);

        var exact = Assert.Throws<ArgumentException>(() => surface.At(0.25, 0.5));
        Assert.Contains("Axis 'alpha' has no value 0.25; the nearest is 0.2502502502502503 (position 250)", exact.Message, StringComparison.Ordinal);
        Assert.Contains("AtNearest", exact.Message, StringComparison.Ordinal);

        // 0.25 * 999 = 249.75 -> position 250; 0.5 * 999 = 499.5 -> a tie between 499 and 500: the lower position
        Assert.Equal(surface.AtPositions(250, 499), surface.AtNearest(0.25, 0.5));
        Assert.Equal(499 / 999.0, grid.PointAt(grid.IndexOfNearest(0.25, 0.5)).Get<double>("beta"));
        var row = surface.SliceNearest("alpha", 0.5);
        Assert.Equal(surface.SliceAt("alpha", 499).Values.ToArray(), row.Values.ToArray());
        Assert.Equal(["beta"], row.Axes.Select(a => a.Name));

        // Outside the axis: the end point; a coordinate that is no number: refused
        Assert.Equal(surface.AtPositions(999, 0), surface.AtNearest(7, -3));
        var nan = Assert.Throws<ArgumentException>(() => surface.AtNearest(double.NaN, 0));
        Assert.Contains("needs a finite number, got NaN", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => surface.AtNearest(0.5));
    }

    [Fact]
    public async Task AtNearest_TextAxis_RefusedNamingTheAxis()
    {
        var result = await Par.Map(Grid.Of(Axis.Values("model", "a", "b"), Axis.Range("n", 1, 3)), p => p.Item2);

        var e = Assert.Throws<ArgumentException>(() => result.AtNearest(1, 2));
        Assert.Contains("Axis 'model' holds String values", e.Message, StringComparison.Ordinal);
        Assert.Equal([1, 1], result.SliceNearest("n", 1.2).Values.ToArray());
        Assert.Throws<ArgumentException>(() => result.SliceNearest("model", 0));
    }

    [Fact]
    public void MapSync_OneAxisGrid_HandsTheValue()
    {
        var result = Par.MapSync(Grid.Of(Axis.Range("n", 1, 5)), n => n * n, new ParOptions { Workers = 2 });

        Assert.Equal([1, 4, 9, 16, 25], result.Values.ToArray());
        Assert.Equal(16, result.At(4));
    }

    [Fact]
    public async Task Map_AsyncFunction_Works()
    {
        var result = await Par.Map(Grid.Of(Axis.Range("n", 1, 3)), async (n, ct) =>
        {
            await Task.Yield();
            return n + 1;
        });

        var withoutToken = await Par.Map(Grid.Of(Axis.Range("n", 1, 3)), async n =>
        {
            await Task.Yield();
            return n * 2;
        });

        Assert.Equal([2, 3, 4], result.Values.ToArray());
        Assert.Equal([2, 4, 6], withoutToken.Values.ToArray());
    }

    [Fact]
    public async Task Map_SameGridAnyWorkersOrBatch_BitIdentical()
    {
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, 40), Axis.Linspace("b", 0, 1, 30));
        static double Model(GridPoint<double, double> p) => Logistic(3.0 + p.Item1, p.Item2, 50);

        var one = await Par.Map(grid, Model, new ParOptions { Workers = 1 });
        foreach (var options in new[] { new ParOptions { Workers = 3, BatchSize = 7 }, new ParOptions { Workers = 8, BatchSize = 1 }, new ParOptions { Workers = 2 } })
        {
            var other = await Par.Map(grid, Model, options);
            Assert.Equal(one.Values.ToArray().Select(BitConverter.DoubleToInt64Bits), other.Values.ToArray().Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public async Task Map_W3SmallGrid_MatchesPlainLoop()
    {
        const int G = 60;
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, G), Axis.Linspace("b", 0, 1, G));

        var surface = await Par.Map(grid, p => Logistic(3.0 + p.Item1, p.Item2, 3000));

        for (var i = 0; i < G; i += 7)
        {
            for (var j = 0; j < G; j += 5)
            {
                var expected = Logistic(3.0 + ((double)i / (G - 1)), (double)j / (G - 1), 3000);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(surface.AtPositions(i, j)));
            }
        }
    }

    [Fact]
    public async Task Iterate_GivesPointsAndValues()
    {
        var result = await Par.Map(Grid.Of(Axis.Values("x", 1, 2), Axis.Values("y", "p", "q")), p => $"{p.Item1}{p.Item2}");

        var pairs = result.Select(c => $"{c.Point.Get<int>("x")}/{c.Point["y"]}={c.Value}").ToArray();

        Assert.Equal(["1/p=1p", "1/q=1q", "2/p=2p", "2/q=2q"], pairs);
    }

    [Fact]
    public async Task Slice_FixOneAxis_RemovesIt()
    {
        var result = await Par.Map(Grid.Of(Axis.Range("a", 0, 2), Axis.Range("b", 0, 3), Axis.Range("c", 0, 1)), p => (p.Item1 * 100) + (p.Item2 * 10) + p.Item3);

        var slice = result.Slice("b", 2);

        Assert.Equal(["a", "c"], slice.Axes.Select(a => a.Name));
        Assert.Equal([20, 21, 120, 121, 220, 221], slice.Values.ToArray());
        Assert.Equal(121, slice.At(1, 1));
        Assert.Equal([20, 120, 220], slice.Slice("c", 0).Values.ToArray());
        Assert.Throws<InvalidOperationException>(() => slice.Slice("c", 0).Slice("a", 0));
        Assert.Throws<ArgumentException>(() => result.Slice("b", 9));
    }

    [Fact]
    public async Task Csv_ScalarResults_RoundTripEveryBit()
    {
        var result = await Par.Map(Grid.Of(Axis.Linspace("alpha", 0, 1, 7), Axis.Logspace("beta", 1e-3, 10, 5)), p => Math.Sin(p.Item1 * p.Item2) / 3);
        var path = Path.Combine(_dir, "surface.csv");

        result.WriteCsv(path);
        var back = GridResult.ReadCsv<double>(path);

        Assert.Equal("alpha,beta,value", File.ReadLines(path).First());
        AssertSame(result, back);
    }

    [Fact]
    public async Task Parquet_ScalarResults_RoundTripEveryBit()
    {
        var result = await Par.Map(Grid.Of(Axis.Linspace("alpha", 0, 1, 9), Axis.Range("n", 1, 4)), p => p.Item1 / p.Item2);
        var path = Path.Combine(_dir, "surface.parquet");

        await result.WriteParquetAsync(path);
        var back = await GridResult.ReadParquetAsync<double>(path);

        AssertSame(result, back);
        Assert.Equal(typeof(int), back.Axes[1].ValueType);
    }

    [Fact]
    public async Task CsvAndParquet_RecordResults_FlattenToNamedColumns()
    {
        var result = await Par.Map(Grid.Of(Axis.Linspace("alpha", 0, 1, 3), Axis.Values("kind", "a", "b, with comma")), p => new Measure(p.Item1 / 3, p.Index, $"{p.Item2}!"));
        var csv = Path.Combine(_dir, "records.csv");
        var parquet = Path.Combine(_dir, "records.parquet");

        result.WriteCsv(csv);
        result.WriteParquet(parquet);
        var fromCsv = GridResult.ReadCsv<Measure>(csv);
        var fromParquet = GridResult.ReadParquet<Measure>(parquet);

        Assert.Equal("alpha,kind,Mean,Steps,Label", File.ReadLines(csv).First());
        Assert.Equal(result.Values.ToArray(), fromCsv.Values.ToArray());
        Assert.Equal(result.Values.ToArray(), fromParquet.Values.ToArray());
        Assert.Equal(["a", "b, with comma"], (Axis<string>)fromCsv.Axes[1]);
    }

    [Fact]
    public async Task Csv_TupleResults_UseItemColumns()
    {
        var result = await Par.Map(Grid.Of(Axis.Range("n", 1, 3)), n => (Square: n * n, Half: n / 2.0));
        var path = Path.Combine(_dir, "tuples.csv");

        result.WriteCsv(path);
        var back = GridResult.ReadCsv<(int, double)>(path);

        Assert.Equal("n,Item1,Item2", File.ReadLines(path).First());
        Assert.Equal([(1, 0.5), (4, 1.0), (9, 1.5)], back.Values.ToArray());
    }

    [Fact]
    public async Task Csv_ZippedGrid_RoundTripsAsZip()
    {
        var result = await Par.Map(Grid.Zip(Axis.Values("x", 1.0, 2.0, 3.0), Axis.Values("y", 10.0, 20.0, 30.0)), p => p.Item1 + p.Item2);
        var path = Path.Combine(_dir, "zip.csv");

        result.WriteCsv(path);
        var back = GridResult.ReadCsv<double>(path);

        Assert.True(back.Grid.IsZipped);
        Assert.Equal(22.0, back.At(2.0, 20.0));
    }

    [Fact]
    public void ReadCsv_RowsOutOfOrder_ThrowsNamingRow()
    {
        var path = Path.Combine(_dir, "shuffled.csv");
        File.WriteAllText(path, "a,b,value\n0,0,1\n1,0,2\n0,1,3\n1,1,4\n");

        var e = Assert.Throws<InvalidDataException>(() => GridResult.ReadCsv<double>(path));

        Assert.Contains("Row 2 of", e.Message, StringComparison.Ordinal);
        Assert.Contains("out of grid order", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_MissingResultColumn_ThrowsListingColumns()
    {
        var path = Path.Combine(_dir, "novalue.csv");
        File.WriteAllText(path, "a,b\n0,0\n");

        var e = Assert.Throws<InvalidDataException>(() => GridResult.ReadCsv<double>(path));

        Assert.Contains("has no column 'value'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteCsv_FieldNamedLikeAxis_ThrowsNamingIt()
    {
        var result = await Par.Map(Grid.Of(Axis.Range("Steps", 1, 2)), n => new Measure(n, n, "x"));

        var e = Assert.Throws<InvalidOperationException>(() => result.WriteCsv(Path.Combine(_dir, "clash.csv")));

        Assert.Contains("Two columns are named 'Steps'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteCsv_UnsupportedFieldType_ThrowsNamingField()
    {
        var result = await Par.Map(Grid.Of(Axis.Range("n", 1, 2)), n => new { Values = new[] { n } });

        var e = Assert.Throws<NotSupportedException>(() => result.WriteCsv(Path.Combine(_dir, "nested.csv")));

        Assert.Contains("'Values'", e.Message, StringComparison.Ordinal);
    }

    internal static double Logistic(double r, double x, int steps)
    {
        for (var k = 0; k < steps; k++)
        {
            x = r * x * (1.0 - x);
        }
        return x;
    }

    private static void AssertSame(GridResult<double> expected, GridResult<double> actual)
    {
        Assert.Equal(expected.Axes.Select(a => a.Name), actual.Axes.Select(a => a.Name));
        Assert.Equal(expected.Grid.Shape, actual.Grid.Shape);
        for (var a = 0; a < expected.Axes.Count; a++)
        {
            Assert.Equal(Enumerable.Range(0, expected.Axes[a].Count).Select(i => Convert.ToDouble(expected.Axes[a].GetValue(i))), Enumerable.Range(0, actual.Axes[a].Count).Select(i => Convert.ToDouble(actual.Axes[a].GetValue(i))));
        }
        Assert.Equal(expected.Values.ToArray().Select(BitConverter.DoubleToInt64Bits), actual.Values.ToArray().Select(BitConverter.DoubleToInt64Bits));
    }
}
