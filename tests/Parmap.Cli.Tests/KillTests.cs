using Parmap.Tables;

namespace Parmap.Cli.Tests;

public class KillTests
{
    [Fact]
    public async Task Run_SigkilledThenResumed_CompleteAndEveryResultExactlyOnce()
    {
        using var cli = new Cli();
        var log = cli.PathOf("ran.log");
        string[] args = ["run", "-j", "2", "--journal", "run.db", "--resume", "--capture", "number", "--results", "out.csv", "--grid", "n=range(1,40)", "--", Cli.Child, "log", log, "{n}", "150"];

        using (var first = cli.Start(args))
        {
            while (Cli.ReadLog(log).Length < 8)
            {
                Assert.False(first.HasExited, "parmap ended before it was killed");
                await Task.Delay(20);
            }
            first.Kill();
            await first.WaitForExitAsync();
        }
        var ranBefore = Cli.ReadLog(log).Length;
        var (code, _, stderr) = await cli.RunAsync(args);

        Assert.True(code == 0, stderr);
        Assert.Contains("taken from the journal", stderr, StringComparison.Ordinal);
        var (h, rows) = TableFile.ReadCsv(cli.PathOf("out.csv"));
        var values = rows.Select(r => r[Array.IndexOf(h, "value")]).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), values);
        var ran = Cli.ReadLog(log).Select(int.Parse).ToList();
        Assert.Equal(Enumerable.Range(1, 40), ran.Distinct().Order());
        // Only items that were running (or finished but not yet committed) when parmap was killed ran twice.
        Assert.True(ran.Count - 40 <= 6, $"{ran.Count - 40} items ran twice; {ranBefore} had run before the kill");
    }

    [Fact]
    public async Task Run_ParmapSigkilled_NoProgramNorAnythingItStartedSurvives()
    {
        using var cli = new Cli();
        var marker = "parmap-orphan-" + Guid.NewGuid().ToString("N")[..8];

        using var parmap = cli.Start(["run", "-j", "3", "--", Cli.Child, "spawn", marker, "{}", ":::", "300", "301", "302", "303"]);
        // Three items, each the child and its grandchild shell.
        var running = await Processes.WaitAsync(marker, 6, TimeSpan.FromSeconds(60));
        Assert.True(running.Count >= 6, $"only {running.Count} marked processes started");
        parmap.Kill();
        await parmap.WaitForExitAsync();
        var left = await Processes.WaitAsync(marker, 0, TimeSpan.FromSeconds(10));

        Assert.Empty(left);
    }

    [Fact]
    public async Task Run_Interrupted_RunningItemsFinishJournalSavedAndResumeCompletes()
    {
        using var cli = new Cli();
        var log = cli.PathOf("ran.log");
        string[] args = ["run", "-j", "2", "--journal", "run.db", "--resume", "--grid", "n=range(1,12)", "--", Cli.Child, "log", log, "{n}", "300"];

        using (var first = cli.Start(args))
        {
            while (Cli.ReadLog(log).Length < 2)
            {
                await Task.Delay(20);
            }
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            await first.WaitForExitAsync();
            Assert.Equal(130, first.ExitCode);
        }
        var ranBefore = Cli.ReadLog(log).Select(int.Parse).ToList();
        Assert.True(ranBefore.Count < 12, "the interrupt came after the end");
        var (code, _, stderr) = await cli.RunAsync(args);

        Assert.True(code == 0, stderr);
        var ran = Cli.ReadLog(log).Select(int.Parse).ToList();
        // A graceful stop lets the running items finish and records them: nothing runs twice.
        Assert.Equal(Enumerable.Range(1, 12), ran.Order());
    }
}
