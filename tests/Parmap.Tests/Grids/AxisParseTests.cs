namespace Parmap.Tests.Grids;

public class AxisParseTests
{
    [Fact]
    public void Parse_Linspace_SameAxisAsTheFactory()
    {
        var axis = Assert.IsType<Axis<double>>(Axis.Parse("alpha=linspace(0,1,101)"), exactMatch: false);

        Assert.Equal("alpha", axis.Name);
        Assert.Equal(Axis.Linspace("alpha", 0, 1, 101), axis);
    }

    [Fact]
    public void Parse_LogspaceAndRanges_MakeTheFactoriesAxes()
    {
        Assert.Equal(Axis.Logspace("k", 1e-3, 1e3, 7), Assert.IsType<Axis<double>>(Axis.Parse("k = logspace(1e-3, 1e3, 7)"), exactMatch: false));
        Assert.Equal([1, 3, 5], Assert.IsType<Axis<int>>(Axis.Parse("n=range(1,5,2)"), exactMatch: false));
        Assert.Equal([1, 2, 3], Assert.IsType<Axis<int>>(Axis.Parse("n=range(1,3)"), exactMatch: false));
        Assert.Equal(11, Assert.IsType<Axis<double>>(Axis.Parse("x=range(0,1,0.1)"), exactMatch: false).Count);
    }

    [Fact]
    public void Parse_Lists_NumbersWhenAllAreNumbersElseText()
    {
        Assert.Equal([1.0, 2.0, 5.0], Assert.IsType<Axis<double>>(Axis.Parse("beta=1,2,5"), exactMatch: false));
        Assert.Equal(["ols", "ridge", "3"], Assert.IsType<Axis<string>>(Axis.Parse("model=ols, ridge,3"), exactMatch: false));
    }

    [Theory]
    [InlineData("alpha", "no '='")]
    [InlineData("=1,2", "name before '=' is empty")]
    [InlineData("a=", "no values")]
    [InlineData("a=1,,2", "empty")]
    [InlineData("a=linspace(0,1)", "takes 3 arguments, got 2")]
    [InlineData("a=linspace(0,x,3)", "the stop 'x' is not a number")]
    [InlineData("a=linspace(0,1,2.5)", "not a whole number")]
    [InlineData("a=geomspace(1,2,3)", "'geomspace' is not a known function")]
    [InlineData("a=range(1)", "range takes 2 or 3 arguments")]
    public void Parse_Malformed_FormatExceptionSaysWhatAndShowsTheForms(string spec, string what)
    {
        var e = Assert.Throws<FormatException>(() => Axis.Parse(spec));

        Assert.Contains($"'{spec}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.Contains("name=linspace(start,stop,count)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a=linspace(0,1,0)", "at least 1")]
    [InlineData("a=1,2,1", "appears twice")]
    [InlineData("a=logspace(0,1,3)", "zero")]
    [InlineData("a=range(1,5,-1)", "leads away")]
    public void Parse_BadValues_TheFactorysArgumentError(string spec, string what)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Axis.Parse(spec));

        Assert.Contains("Axis 'a'", e.Message, StringComparison.Ordinal);
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
    }
}
