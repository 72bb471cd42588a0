namespace Parmap.Cli.Tests;

public class UsageErrorTests
{
    [Theory]
    [InlineData("unknown placeholder '{beta}'", "run", "--grid", "alpha=1,2", "--", "CHILD", "number", "{beta}")]
    [InlineData("program 'no-such-program-xyz' not found on PATH", "run", "--", "no-such-program-xyz", "{}", ":::", "1")]
    [InlineData("is not executable", "run", "--", "./data.csv", "{}", ":::", "1")]
    [InlineData("Axis spec 'alpha=linspace(0,1)': it takes 3 arguments, got 2", "run", "--grid", "alpha=linspace(0,1)", "--", "CHILD", "number", "{alpha}")]
    [InlineData("Axis 'alpha': it needs at least 1 point", "run", "--grid", "alpha=linspace(0,1,0)", "--", "CHILD", "number", "{alpha}")]
    [InlineData("--grid @missing.csv: cannot read the file", "run", "--grid", "@missing.csv", "--", "CHILD", "number", "{a}")]
    [InlineData("--results 'no-dir/out.csv' cannot be written", "run", "--results", "no-dir/out.csv", "--", "CHILD", "number", "{}", ":::", "1")]
    [InlineData("must end in .csv or .parquet", "run", "--results", "out.txt", "--", "CHILD", "number", "{}", ":::", "1")]
    [InlineData("--resume needs the --journal file", "run", "--resume", "--", "CHILD", "number", "{}", ":::", "1")]
    [InlineData("--zip pairs inputs item by item, but 'a' has 2 values and 'b' has 3", "run", "--zip", "--grid", "a=1,2", "--grid", "b=1,2,3", "--", "CHILD", "number", "{a}")]
    [InlineData("'{}' stands for the only input, but there are 2", "run", "--grid", "a=1,2", "--grid", "b=1,2", "--", "CHILD", "number", "{}")]
    [InlineData("no program to run", "run", "--grid", "a=1,2")]
    [InlineData("--timeout 'soon' is not a positive duration", "run", "--timeout", "soon", "--", "CHILD", "number", "{}", ":::", "1")]
    [InlineData("--env 'NOEQUALS' is not NAME=value", "run", "--env", "NOEQUALS", "--", "CHILD", "number", "{}", ":::", "1")]
    [InlineData("the input name 'a' is given twice", "run", "--grid", "a=1,2", "--grid", "a=3", "--", "CHILD", "number", "{a}")]
    [InlineData("--jobs does not apply with --cluster", "run", "--cluster", "job", "-j", "2", "--", "CHILD", "number", "{}", ":::", "1")]
    [InlineData("--nodes goes with --cluster DIR", "run", "--nodes", "2", "--", "CHILD", "number", "{}", ":::", "1")]
    public async Task Run_UserMistake_OneClearLineExitTwoAndNothingRuns(string message, params string[] args)
    {
        using var cli = new Cli();
        File.WriteAllText(cli.PathOf("data.csv"), "a\n1\n");

        var (code, stdout, stderr) = await cli.RunAsync([.. args.Select(a => a == "CHILD" ? Cli.Child : a)]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("parmap run: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Equal(["data.csv"], Directory.EnumerateFileSystemEntries(cli.Dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Run_JournalExistsWithoutResume_RefusedSayingHowToGoOn()
    {
        using var cli = new Cli();
        var (first, _, e1) = await cli.RunAsync("run", "--journal", "run.db", "--", Cli.Child, "number", "{}", ":::", "1");

        var (code, _, stderr) = await cli.RunAsync("run", "--journal", "run.db", "--", Cli.Child, "number", "{}", ":::", "1");

        Assert.True(first == 0, e1);
        Assert.Equal(2, code);
        Assert.Contains("already exists. Add --resume", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ResumeWithAnotherCommand_RefusedNamingTheJournal()
    {
        using var cli = new Cli();
        var (first, _, e1) = await cli.RunAsync("run", "--journal", "run.db", "--", Cli.Child, "number", "{}", ":::", "1", "2");

        var (code, _, stderr) = await cli.RunAsync("run", "--journal", "run.db", "--resume", "--", Cli.Child, "argv", "{}", ":::", "1", "2");

        Assert.True(first == 0, e1);
        Assert.Equal(2, code);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("the journal '" + cli.PathOf("run.db") + "' was written for another run", line, StringComparison.Ordinal);
        Assert.Contains("nothing was run", line, StringComparison.Ordinal);
    }
}
