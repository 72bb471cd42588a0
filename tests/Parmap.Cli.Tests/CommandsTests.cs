using Parmap.Tables;

namespace Parmap.Cli.Tests;

public class CommandsTests
{
    [Theory]
    [InlineData]
    [InlineData("run")]
    [InlineData("plot")]
    [InlineData("journal")]
    [InlineData("demo")]
    [InlineData("node")]
    public async Task Help_EveryCommand_DescribesItsOptions(params string[] command)
    {
        using var cli = new Cli();

        var (code, stdout, _) = await cli.RunAsync([.. command, "--help"]);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Contains(command.Length == 0 ? "run" : "--help", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        using var cli = new Cli();

        var (code, stdout, _) = await cli.RunAsync("--version");

        Assert.Equal(0, code);
        Assert.StartsWith("0.1.0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_HeatmapLineAndHistogramFromResultsAndJournal_WritePngs()
    {
        using var cli = new Cli();
        var (code, _, stderr) = await cli.RunAsync("run", "--journal", "run.db", "--capture", "json", "--results", "out.csv", "--grid", "a=range(1,4)", "--grid", "b=linspace(0,1,3)", "--", Cli.Child, "json", "{a}", "{b}");
        Assert.True(code == 0, stderr);
        var (line, _, _) = await cli.RunAsync("run", "--capture", "number", "--results", "line.parquet", "--grid", "x=1,2,3", "--", Cli.Child, "number", "{x}");
        Assert.Equal(0, line);

        var heat = await cli.RunAsync("plot", "out.csv", "--x", "a", "--y", "b", "--value", "sum", "-o", "heat.png");
        var fromJournal = await cli.RunAsync("plot", "run.db", "--x", "a", "--y", "b", "--value", "sum", "-o", "journal.png");
        var lines = await cli.RunAsync("plot", "line.parquet", "--x", "x", "-o", "line.png");
        var hist = await cli.RunAsync("plot", "out.csv", "--value", "sum", "-o", "hist.png");
        var ambiguous = await cli.RunAsync("plot", "out.csv", "--x", "a", "--value", "sum", "-o", "bad.png");

        foreach (var (result, png) in new[] { (heat, "heat.png"), (fromJournal, "journal.png"), (lines, "line.png"), (hist, "hist.png") })
        {
            Assert.True(result.Code == 0, result.Stderr);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(cli.PathOf(png))[..4]);
        }
        Assert.Equal(2, ambiguous.Code);
        Assert.Contains("several rows have the same a", ambiguous.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journal_ShowsCountsAndFailuresWithInputsAndStderr_ExportsTheResults()
    {
        using var cli = new Cli();
        var (run, _, _) = await cli.RunAsync("run", "--journal", "run.db", "--results", "out.csv", "--grid", "code=0,4", "--", Cli.Child, "fail", "{code}", "oops-{code}");
        Assert.Equal(1, run);

        var (code, stdout, stderr) = await cli.RunAsync("journal", "run.db", "--export", "export.csv");

        Assert.True(code == 0, stderr);
        Assert.Contains("failed: item 2 (code=4) after 1 attempt(s): exit code 4", stdout, StringComparison.Ordinal);
        Assert.Contains("stderr: oops-4", stdout, StringComparison.Ordinal);
        var (h1, r1) = TableFile.ReadCsv(cli.PathOf("out.csv"));
        var (h2, r2) = TableFile.ReadCsv(cli.PathOf("export.csv"));
        Assert.Equal(h1, h2);
        var seconds = Array.IndexOf(h1, "seconds");
        Assert.Equal(r1.Select(r => r.Where((_, i) => i != seconds)), r2.Select(r => r.Where((_, i) => i != seconds)));
    }

    [Fact]
    public async Task Demo_SmallSizes_RunsBothWorkloadsAndReportsTheSpeedup()
    {
        using var cli = new Cli();

        var (code, stdout, stderr) = await cli.RunAsync("demo", "--grid", "60", "--trials", "20000", "--out", "demo");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("speedup", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(cli.PathOf("demo/surface.csv")));
    }
}
