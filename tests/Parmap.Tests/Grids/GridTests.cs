using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Parmap.Tests.Grids;

public class GridTests
{
    [Fact]
    public void Of_TwoAxes_RowMajorWithFirstAxisAsRow()
    {
        var grid = Grid.Of(Axis.Values("a", 1, 2), Axis.Values("b", "x", "y", "z"));

        Assert.Equal(6, grid.Count);
        Assert.Equal([2, 3], grid.Shape);
        Assert.Equal(
            [(1, "x"), (1, "y"), (1, "z"), (2, "x"), (2, "y"), (2, "z")],
            grid.Select(p => (p.Item1, p.Item2)));
        Assert.Equal(Enumerable.Range(0, 6), grid.Select(p => p.Index));
    }

    [Fact]
    public void Point_NamedAccessAndDeconstruct_GiveAxisValues()
    {
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 3), Axis.Range("n", 1, 4));
        var point = grid[9];

        var (alpha, n) = point;

        Assert.Equal(1.0, alpha);
        Assert.Equal(2, n);
        Assert.Equal(1.0, point.Get<double>("alpha"));
        Assert.Equal(2, point.Get<int>("n"));
        Assert.Equal("(alpha=1, n=2)", point.ToString());
        var wrong = Assert.Throws<InvalidCastException>(() => point.Get<string>("n"));
        Assert.Contains("Axis 'n' holds Int32 values, not String", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => point.Get<double>("gamma"));
    }

    [Fact]
    public void Of_ThreeAndFourAxes_LastAxisFastest()
    {
        var three = Grid.Of(Axis.Range("a", 0, 1), Axis.Range("b", 0, 2), Axis.Range("c", 0, 3));
        var four = Grid.Of(Axis.Range("a", 0, 1), Axis.Range("b", 0, 1), Axis.Range("c", 0, 1), Axis.Values("d", 'p', 'q'));

        Assert.Equal(24, three.Count);
        Assert.Equal((0, 1, 2), (three[6].Item1, three[6].Item2, three[6].Item3));
        Assert.Equal((1, 2, 3), (three[23].Item1, three[23].Item2, three[23].Item3));
        Assert.Equal(16, four.Count);
        Assert.Equal('q', four[1].Item4);
        Assert.Equal(1, four[8].Item1);
    }

    [Fact]
    public void Of_ManyAxes_UntypedPointByName()
    {
        var grid = Grid.Of(Axis.Range("a", 0, 1), Axis.Range("b", 0, 1), Axis.Range("c", 0, 1), Axis.Range("d", 0, 1), Axis.Linspace("e", 0, 1, 3));

        var point = grid[grid.Count - 1];

        Assert.Equal(48, grid.Count);
        Assert.Equal(1, point.Get<int>("a"));
        Assert.Equal(1.0, point.Get<double>("e"));
        Assert.Equal(1.0, point["e"]);
    }

    [Fact]
    public void Zip_PairsValuesOneToOne()
    {
        var grid = Grid.Zip(Axis.Values("x", 1.0, 2.0, 3.0), Axis.Values("label", "one", "two", "three"));

        Assert.True(grid.IsZipped);
        Assert.Equal([3], grid.Shape);
        Assert.Equal([(1.0, "one"), (2.0, "two"), (3.0, "three")], grid.Select(p => (p.Item1, p.Item2)));
        Assert.Equal(1, grid.IndexOfValues(2.0, "two"));
        var unpaired = Assert.Throws<ArgumentException>(() => grid.IndexOfValues(2.0, "three"));
        Assert.Contains("paired value by value", unpaired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_DuplicateNames_ThrowsNamingThem()
    {
        var e = Assert.Throws<ArgumentException>(() => Grid.Of(Axis.Linspace("alpha", 0, 1, 2), Axis.Linspace("alpha", 0, 1, 3)));

        Assert.Contains("Axes 0 and 1 are both named 'alpha'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_TooLarge_ThrowsNamingTheAxisThatOverflows()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Grid.Of(Axis.Linspace("a", 0, 1, 100_000), Axis.Linspace("b", 0, 1, 100_000), Axis.Linspace("c", 0, 1, 2)));

        Assert.Contains("too large to index: with axis 'b'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'a' (100,000) x 'b' (100,000) x 'c' (2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zip_DifferentLengths_ThrowsNamingAxes()
    {
        var e = Assert.Throws<ArgumentException>(() => Grid.Zip(Axis.Linspace("x", 0, 1, 3), Axis.Linspace("y", 0, 1, 4)));

        Assert.Contains("axis 'x' has 3 and axis 'y' has 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IndexOfValues_MissingValue_NamesAxisAndNearest()
    {
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 11), Axis.Linspace("beta", 0, 1, 3));

        var e = Assert.Throws<ArgumentException>(() => grid.IndexOfValues(0.31, 0.5));

        Assert.Contains("Axis 'alpha' has no value 0.31; the nearest is 0.3 (position 3)", e.Message, StringComparison.Ordinal);
        Assert.Equal((3 * 3) + 1, grid.IndexOfValues(0.3, 0.5));
    }

    [Fact]
    public void IndexOf_PositionOutOfRange_NamesAxis()
    {
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 4), Axis.Linspace("beta", 0, 1, 3));

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => grid.IndexOf(1, 3));

        Assert.Contains("outside axis 'beta', which has 3 values", e.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 200)]
    public Property Of_AnyShape_EnumeratesNestedLoopsInOrder()
    {
        var counts = Gen.Choose(1, 5).ArrayOf().Where(a => a.Length is >= 1 and <= 4).ToArbitrary();
        return Prop.ForAll(counts, shape =>
        {
            var axes = shape.Select((n, a) => (Axis)Axis.Range($"x{a}", 0, n - 1)).ToArray();
            var grid = Grid.Of(axes);
            var expected = Nested(shape).ToList();
            var ok = grid.Count == expected.Count;
            for (var k = 0; ok && k < grid.Count; k++)
            {
                var point = grid[k];
                for (var a = 0; a < shape.Length; a++)
                {
                    ok &= point.Get<int>(a) == expected[k][a] && grid.IndexOn(k, a) == expected[k][a];
                }
                ok &= grid.IndexOf(expected[k]) == k;
            }
            return ok;
        });
    }

    [Property(MaxTest = 100)]
    public Property Of_TwoTypedAxes_MatchesUntypedGrid(PositiveInt n1, PositiveInt n2)
    {
        var a = Axis.Linspace("a", -1, 1, (n1.Get % 9) + 1);
        var b = Axis.Range("b", 0, n2.Get % 7);
        var typed = Grid.Of(a, b);
        var untyped = Grid.Of((Axis)a, b);
        return (typed.Count == untyped.Count && typed.Select((p, k) => p.Item1 == untyped[k].Get<double>("a") && p.Item2 == untyped[k].Get<int>("b")).All(x => x)).ToProperty();
    }

    private static IEnumerable<int[]> Nested(int[] shape)
    {
        if (shape.Length == 0)
        {
            yield return [];
            yield break;
        }
        for (var i = 0; i < shape[0]; i++)
        {
            foreach (var rest in Nested(shape[1..]))
            {
                yield return [i, .. rest];
            }
        }
    }
}
