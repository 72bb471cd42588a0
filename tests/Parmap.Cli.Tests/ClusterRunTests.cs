using System.Text;

using Parmap.Tables;

namespace Parmap.Cli.Tests;

public class ClusterRunTests
{
    [Fact]
    public async Task Run_OnTwoClusterNodes_EveryItemOnceWorkOnBothNodesNodesExitAfterAndResumeNeedsNoNode()
    {
        using var cli = new Cli();
        var stderr = new StringBuilder();
        var log = cli.PathOf("ran.log");

        using var driver = cli.Start(["run", "--cluster", "job", "--nodes", "2", "--journal", "run.db", "--resume", "--capture", "number", "--results", "out.csv", "--grid", "n=range(1,24)", "--", Cli.Child, "log", log, "{n}", "100"], stderr: stderr);
        using var node1 = cli.Start(["node", "--join", "job/cluster.json"]);
        using var node2 = cli.Start(["node", "--join", "job/cluster.json", "--cores", "1"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await driver.WaitForExitAsync(timeout.Token);
        await node1.WaitForExitAsync(timeout.Token);
        await node2.WaitForExitAsync(timeout.Token);

        string err;
        lock (stderr)
        {
            err = stderr.ToString();
        }
        Assert.True(driver.ExitCode == 0, err);
        var (h, rows) = TableFile.ReadCsv(cli.PathOf("out.csv"));
        Assert.Equal(Enumerable.Range(1, 24).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r[Array.IndexOf(h, "value")]));
        Assert.Equal(Enumerable.Range(1, 24), Cli.ReadLog(log).Select(int.Parse).Order());
        var perNode = err.Split('\n').Where(l => l.Contains("items on node", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, perNode.Count);
        Assert.Contains("│ succeeded", err, StringComparison.Ordinal);
        Assert.DoesNotContain("taken from the journal", err, StringComparison.Ordinal);
        Assert.Equal(0, node1.ExitCode);
        Assert.Equal(0, node2.ExitCode);

        // The same command again: everything is in the journal, so it completes without starting a driver or waiting for nodes.
        var (again, _, againErr) = await cli.RunAsync("run", "--cluster", "job", "--nodes", "2", "--journal", "run.db", "--resume", "--capture", "number", "--results", "out.csv", "--grid", "n=range(1,24)", "--", Cli.Child, "log", log, "{n}", "100");
        Assert.True(again == 0, againErr);
        Assert.Contains("taken from the journal", againErr, StringComparison.Ordinal);
        Assert.Equal(24, Cli.ReadLog(log).Length);
    }
}
