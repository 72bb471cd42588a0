using System.Text;

using Parmap.Tables;

namespace Parmap.Cli.Tests;

public class RunTests
{
    private static readonly string[] s_nasty =
    [
        "a b", "it's", "\"double\"", "x;echo injected", "$(echo injected)", "`echo injected`", "line1\nline2", "tab\there",
        "ünïcødé €😀", "-n", "*", "", "{alpha}", "back\\slash", "  padded  ",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_NastyValues_ReachTheProgramByteForByte(bool shell)
    {
        using var cli = new Cli();
        string[] command = shell ? ["--shell", "--", $"{Cli.Child} argv {{#}} {{}}"] : ["--", Cli.Child, "argv", "{#}", "{}"];

        var (code, stdout, stderr) = await cli.RunAsync([.. new[] { "run", "-k", "--output", "all", "--progress", "none" }, .. command, ":::", .. s_nasty]);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        for (var i = 0; i < s_nasty.Length; i++)
        {
            Assert.Equal(Hex((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), lines[2 * i]);
            Assert.Equal(Hex(s_nasty[i]), lines[(2 * i) + 1]);
        }
    }

    [Fact]
    public async Task Run_GridWithJsonCapture_ResultsCsvHasAxesFieldsExitCodeAndSeconds()
    {
        using var cli = new Cli();

        var (code, _, stderr) = await cli.RunAsync("run", "--grid", "a=linspace(0,1,3)", "--grid", "b=1,2.50", "--capture", "json", "--results", "out.csv", "--", Cli.Child, "json", "{a}", "{b}");

        Assert.True(code == 0, stderr);
        var (header, rows) = TableFile.ReadCsv(cli.PathOf("out.csv"));
        var table = rows.ToList();
        Assert.Equal(["item", "a", "b", "sum", "label", "exit_code", "seconds", "attempts", "error", "stderr"], header);
        Assert.Equal(6, table.Count);
        Assert.Equal(["1", "0", "1", "1", "0/1", "0"], table[0][..6]);
        Assert.Equal(["2", "0", "2.5", "2.5", "0/2.50", "0"], table[1][..6]);
        Assert.Equal(["6", "1", "2.5", "3.5", "1/2.50", "0"], table[5][..6]);
        Assert.All(table, r => Assert.True(double.Parse(r[6], System.Globalization.CultureInfo.InvariantCulture) > 0));
    }

    [Fact]
    public async Task Run_NumberCaptureToParquet_ValuesAreNumbers()
    {
        using var cli = new Cli();

        var (code, _, stderr) = await cli.RunAsync("run", "--capture", "number", "--results", "out.parquet", "--", Cli.Child, "number", "{}", ":::", "1.5", "-2", "1e3");

        Assert.True(code == 0, stderr);
        var (names, types, columns) = await TableFile.ReadParquetAsync(cli.PathOf("out.parquet"), CancellationToken.None);
        var value = Array.IndexOf(names, "value");
        Assert.Equal(typeof(double), types[value]);
        Assert.Equal([1.5, -2, 1000], (double[])columns[value]);
    }

    [Fact]
    public async Task Run_TextCaptureAndNumberCaptureOfText_TextKeptAndNonNumberFailsTheItem()
    {
        using var cli = new Cli();

        var (text, _, e1) = await cli.RunAsync("run", "--results", "t.csv", "--", Cli.Child, "number", "{}", ":::", "hello world");
        var (number, _, e2) = await cli.RunAsync("run", "--capture", "number", "--results", "n.csv", "--", Cli.Child, "number", "{}", ":::", "hello", "7");

        Assert.True(text == 0, e1);
        var (h, rows) = TableFile.ReadCsv(cli.PathOf("t.csv"));
        Assert.Equal("hello world", rows.Single()[Array.IndexOf(h, "stdout")]);
        Assert.Equal(1, number);
        var (h2, rows2) = TableFile.ReadCsv(cli.PathOf("n.csv"));
        var r = rows2.ToList();
        Assert.Contains("not one number: 'hello'", r[0][Array.IndexOf(h2, "error")], StringComparison.Ordinal);
        Assert.Equal(["", "7"], r.Select(x => x[Array.IndexOf(h2, "error")] == "" ? x[Array.IndexOf(h2, "value")] : ""));
        Assert.Contains("not one number", e2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FailingItemsWithRetries_ExitOneAndEachFailureWithCodeAttemptsAndStderr()
    {
        using var cli = new Cli();

        var (code, _, stderr) = await cli.RunAsync("run", "--retries", "2", "--results", "out.csv", "--", Cli.Child, "fail", "{}", "boom-{}", ":::", "0", "3", "0", "5");

        Assert.Equal(1, code);
        var (h, rows) = TableFile.ReadCsv(cli.PathOf("out.csv"));
        var table = rows.ToList();
        string Cell(int row, string column) => table[row][Array.IndexOf(h, column)];
        Assert.Equal(["0", "3", "0", "5"], table.Select(r => r[Array.IndexOf(h, "exit_code")]));
        Assert.Equal("exit code 3", Cell(1, "error"));
        Assert.Equal("3", Cell(1, "attempts"));
        Assert.Equal("1", Cell(0, "attempts"));
        Assert.Equal("boom-5", Cell(3, "stderr"));
        Assert.Contains("failed: item 2 (1=3): exit code 3 | stderr: boom-3", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Timeout_KillsTheProgramAndWhatItStartedAndTheItemFails()
    {
        using var cli = new Cli();
        var marker = "parmap-timeout-" + Guid.NewGuid().ToString("N")[..8];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (code, _, stderr) = await cli.RunAsync("run", "--timeout", "1s", "--results", "out.csv", "--", Cli.Child, "spawn", marker, "{}", ":::", "60");

        Assert.Equal(1, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("timed out after 1 s", stderr, StringComparison.Ordinal);
        Assert.Empty(Processes.WithMarker(marker));
    }

    [Fact]
    public async Task Run_HaltOnError_StopsAtTheFirstFailureAndRunsNoMoreItems()
    {
        using var cli = new Cli();
        var log = cli.PathOf("ran.log");

        var (code, _, stderr) = await cli.RunAsync("run", "-j", "1", "--halt-on-error", "--shell", "--", $"{Cli.Child} log {log} {{}} 0 && test {{}} != 3", ":::", "1", "2", "3", "4", "5", "6");

        Assert.Equal(1, code);
        Assert.Contains("Stopped at the first failure (--halt-on-error)", stderr, StringComparison.Ordinal);
        Assert.Contains("not run", stderr, StringComparison.Ordinal);
        var ran = Cli.ReadLog(log);
        Assert.Equal(["1", "2", "3"], ran[..3]);
        // At most the item the worker had already taken when the failure was seen; never all of them.
        Assert.True(ran.Length <= 4, string.Join(",", ran));
    }

    [Fact]
    public async Task Run_EnvPerItem_ProgramSeesTheFilledValue()
    {
        using var cli = new Cli();

        var (code, stdout, stderr) = await cli.RunAsync("run", "-k", "--env", "ALPHA=a{x}#{#}", "--grid", "x=1,2", "--", Cli.Child, "env", "ALPHA");

        Assert.True(code == 0, stderr);
        Assert.Equal("a1#1\na2#2\n", stdout);
    }

    [Fact]
    public async Task Run_KeepOrder_OutputInInputOrderEachItemsLinesTogether()
    {
        using var cli = new Cli();

        var (code, stdout, stderr) = await cli.RunAsync("run", "-k", "-j", "3", "--", Cli.Child, "argv", "{}", "{}", ":::", "x", "yy", "zzz", "w", "v");

        Assert.True(code == 0, stderr);
        Assert.Equal(string.Concat(new[] { "x", "yy", "zzz", "w", "v" }.Select(v => $"{Hex(v)}\n{Hex(v)}\n")), stdout);
    }

    [Fact]
    public async Task Run_StdinLinesAndProductOfGroups_EveryCombination()
    {
        using var cli = new Cli();

        var (code, stdout, stderr) = await cli.RunWithInputAsync("p\nq\n", "run", "-k", "--", Cli.Child, "number", "{1}{2}", "::::", "-", ":::", "1", "2");
        var (zipCode, zipped, zipErr) = await cli.RunAsync("run", "-k", "--", Cli.Child, "number", "{1}{2}", ":::", "a", "b", ":::+", "1", "2");

        Assert.True(code == 0, stderr);
        Assert.Equal("p1\np2\nq1\nq2\n", stdout);
        Assert.True(zipCode == 0, zipErr);
        Assert.Equal("a1\nb2\n", zipped);
    }

    [Fact]
    public async Task Run_NotATerminal_PlainProgressLinesAndSummaryOnStderr()
    {
        using var cli = new Cli();

        var (code, stdout, stderr) = await cli.RunAsync("run", "--progress-interval", "100ms", "-j", "2", "--", Cli.Child, "sleep", "0.3", ":::", "1", "2", "3", "4");

        Assert.True(code == 0, stderr);
        var lines = stderr.Split('\n').Where(l => l.StartsWith("parmap: ", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 2, stderr);
        Assert.Contains("parmap: 4/4 done, 0 failed", lines[^1], StringComparison.Ordinal);
        Assert.Contains("speedup", lines[^1], StringComparison.Ordinal);
        Assert.Contains("achieved speedup", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', stderr);
        Assert.Equal(4, stdout.Split('\n').Count(l => l == "slept"));
    }

    [Fact]
    public async Task Run_OnATerminal_LiveBarReachesTheTotalAndTheSummaryFollows()
    {
        using var cli = new Cli();
        var line = $"{Cli.Parmap} run -j 2 -- {Cli.Child} sleep {{}} ::: 0.3 0.3 0.3";
        var start = new System.Diagnostics.ProcessStartInfo("script") { WorkingDirectory = cli.Dir, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qec", line, "/dev/null" })
        {
            start.ArgumentList.Add(a);
        }

        // util-linux's script runs the command on a pseudo-terminal, as a user's shell would.
        using var script = System.Diagnostics.Process.Start(start)!;
        var output = await script.StandardOutput.ReadToEndAsync();
        await script.WaitForExitAsync();

        Assert.True(script.ExitCode == 0, output);
        Assert.Contains("3/3 done, 0 failed", output, StringComparison.Ordinal);
        Assert.Contains("100%", output, StringComparison.Ordinal);
        Assert.Contains("\u2501", output, StringComparison.Ordinal);
        Assert.Contains("achieved speedup", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("100%", StringComparison.Ordinal) < output.IndexOf("achieved speedup", StringComparison.Ordinal));
    }

    private static string Hex(string value) => Convert.ToHexString(Encoding.UTF8.GetBytes(value));
}
