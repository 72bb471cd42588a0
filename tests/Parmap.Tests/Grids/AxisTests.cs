namespace Parmap.Tests.Grids;

public class AxisTests
{
    [Theory]
    [InlineData(0.1, 0.3, 3)]
    [InlineData(-1.7, 2.9, 7)]
    [InlineData(1e-3, 1e3, 1001)]
    [InlineData(5.0, -5.0, 11)]
    public void Linspace_AnyBounds_EndPointsExact(double start, double stop, int count)
    {
        var axis = Axis.Linspace("x", start, stop, count);

        Assert.Equal(count, axis.Count);
        Assert.Equal(start, axis[0]);
        Assert.Equal(stop, axis[count - 1]);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(7)]
    [InlineData(3)]
    public void Linspace_ZeroToOne_IsOneCorrectlyRoundedDivision(int g)
    {
        // W3's axis: a_i = i / (G - 1), one division (workloads.md), not numpy's i * step.
        var axis = Axis.Linspace("a", 0, 1, g);

        for (var i = 0; i < g; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits((double)i / (g - 1)), BitConverter.DoubleToInt64Bits(axis[i]));
        }
    }

    [Fact]
    public void Linspace_MidPoints_EvenlySpacedAndSorted()
    {
        var axis = Axis.Linspace("x", -2, 3, 101);

        Assert.Equal(0.5, axis[50], 15);
        Assert.True(axis.Zip(axis.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void Linspace_SinglePoint_IsStart()
    {
        Assert.Equal([4.0], Axis.Linspace("x", 4, 9, 1));
    }

    [Fact]
    public void Logspace_Decades_Exact()
    {
        var axis = Axis.Logspace("lr", 1e-4, 1e-1, 4);

        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1], axis);
    }

    [Fact]
    public void Logspace_Negative_MirrorsPositive()
    {
        var axis = Axis.Logspace("x", -1, -100, 3);

        Assert.Equal([-1.0, -10.0, -100.0], axis);
    }

    [Fact]
    public void Range_DoubleStep_IncludesReachedStop()
    {
        var axis = Axis.Range("x", 0, 1, 0.1);

        Assert.Equal(11, axis.Count);
        Assert.Equal(0.0, axis[0]);
        Assert.Equal(1.0, axis[10], 12);
    }

    [Fact]
    public void Range_Int_InclusiveWithStep()
    {
        Assert.Equal([10, 20, 30, 40], Axis.Range("n", 10, 45, 10));
        Assert.Equal([3, 2, 1], Axis.Range("n", 3, 1, -1));
    }

    [Fact]
    public void Values_KeepsOrder_AndFindsValues()
    {
        var axis = Axis.Values("model", "b", "a", "c");

        Assert.Equal(["b", "a", "c"], axis);
        Assert.Equal(1, axis.IndexOf("a"));
        Assert.Equal(-1, axis.IndexOf("z"));
    }

    [Fact]
    public void IndexOfValue_IntForDoubleAxis_Converts()
    {
        var axis = Axis.Linspace("x", 0, 10, 11);

        Assert.Equal(3, axis.IndexOfValue(3));
        Assert.Equal(3, axis.IndexOfValue(3.0));
        Assert.Equal(-1, axis.IndexOfValue(3.5));
    }

    [Fact]
    public void FromCsv_Column_ReadsNumbersInOrder()
    {
        var path = Path.Combine(Path.GetTempPath(), $"parmap-axis-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "id,temperature\n1,20.5\n2,-3\n3,1e3\n");
        try
        {
            var axis = Axis.FromCsv(path, "temperature");

            Assert.Equal("temperature", axis.Name);
            Assert.Equal([20.5, -3, 1000], axis);
            Assert.Equal([1, 2, 3], Axis.FromCsv<int>(path, "id", "run"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, Func<Axis>, string> BadSpecs => new()
    {
        { "zero points", () => Axis.Linspace("alpha", 0, 1, 0), "Axis 'alpha': it needs at least 1 point, got 0." },
        { "NaN start", () => Axis.Linspace("alpha", double.NaN, 1, 5), "Axis 'alpha': the start must be a finite number, got NaN." },
        { "infinite stop", () => Axis.Linspace("beta", 0, double.PositiveInfinity, 5), "Axis 'beta': the stop must be a finite number, got Infinity." },
        { "logspace through zero", () => Axis.Logspace("lr", -1, 1, 5), "Axis 'lr': a log-spaced axis cannot reach or cross zero" },
        { "logspace at zero", () => Axis.Logspace("lr", 0, 1, 5), "Axis 'lr': a log-spaced axis cannot reach or cross zero" },
        { "logspace zero points", () => Axis.Logspace("lr", 1, 10, -1), "Axis 'lr': it needs at least 1 point, got -1." },
        { "range zero step", () => Axis.Range("x", 0, 1, 0.0), "Axis 'x': the step must not be zero." },
        { "range wrong way", () => Axis.Range("x", 0, 1, -0.5), "Axis 'x': the step -0.5 leads away from the stop" },
        { "int range wrong way", () => Axis.Range("n", 1, 10, -1), "Axis 'n': the step -1 leads away from the stop" },
        { "range too large", () => Axis.Range("x", 0, 1, 1e-12), "more than the 2,147,483,591 an axis can index" },
        { "no values", () => Axis.Values<double>("v"), "Axis 'v': it needs at least 1 value, got none." },
        { "NaN value", () => Axis.Values("v", 1.0, double.NaN), "Axis 'v': value 1 is NaN" },
        { "duplicate number", () => Axis.Values("depth", 1, 2, 4, 2), "Axis 'depth': the value 2 appears twice (at positions 1 and 3)" },
        { "duplicate text", () => Axis.Values("model", "a", "b", "a"), "Axis 'model': the value a appears twice (at positions 0 and 2)" },
        { "zero and minus zero", () => Axis.Values("x", 0.0, -0.0), "Axis 'x': the value -0 appears twice" },
        { "empty name", () => Axis.Linspace(" ", 0, 1, 2), "An axis needs a name" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Factories_BadSpec_ThrowsNamingAxisAndReason(string why, Func<Axis> make, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(make);

        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{why}: {e.Message}");
    }

    [Fact]
    public void FromCsv_MissingColumnOrBadCell_ThrowsNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"parmap-axis-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "a,b\n1,2\n3,oops\n");
        try
        {
            var missing = Assert.Throws<ArgumentException>(() => Axis.FromCsv(path, "c"));
            var bad = Assert.Throws<ArgumentException>(() => Axis.FromCsv(path, "b"));

            Assert.Contains("has no column 'c'; its columns are 'a', 'b'", missing.Message, StringComparison.Ordinal);
            Assert.Contains("row 2", bad.Message, StringComparison.Ordinal);
            Assert.Contains("'oops'", bad.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromCsv_DuplicateValue_ThrowsNamingTheRows()
    {
        var path = Path.Combine(Path.GetTempPath(), $"parmap-axis-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "a\n1\n2.5\n1\n");
        try
        {
            var e = Assert.Throws<ArgumentException>(() => Axis.FromCsv(path, "a"));

            Assert.Contains("Axis 'a': the value 1 appears twice (in rows 1 and 3 of", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
