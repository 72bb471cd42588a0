using System.Globalization;
using System.Net.Sockets;

namespace Parmap.Cluster.Tests;

/// <summary>A driver and node processes of tests/Parmap.ClusterTestApp on 127.0.0.1, TLS on.</summary>
[Collection(nameof(ClusterProcesses))]
public class ClusterMapTests
{
    private static long SumOfSquares(int n) => Enumerable.Range(0, n).Sum(x => (long)x * x);

    private static string ResultLine(int n) => string.Create(CultureInfo.InvariantCulture, $"result {n} 0 {SumOfSquares(n)}");

    [Fact]
    public void Map_ThreeNodes_CompletesWithWorkOnEveryNode()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "600", "--nodes", "3", "--sleep-ms", "3");
        using var a = ClusterProcess.Node(dir.Job, dir.Log);
        using var b = ClusterProcess.Node(dir.Job, dir.Log);
        using var c = ClusterProcess.Node(dir.Job, dir.Log);

        var (code, stdout, stderr) = driver.WaitForExit();

        Assert.True(code == 0, stderr);
        Assert.Contains(ResultLine(600), stdout, StringComparison.Ordinal);
        var executions = dir.Executions();
        Assert.Equal([a.Id, b.Id, c.Id], executions.Keys.Order());
        Assert.All(executions.Values, items => Assert.NotEmpty(items));
        Assert.Equal(Enumerable.Range(0, 600), executions.Values.SelectMany(x => x).Order()); // each item ran once
        // Par.Advise predicts with the nodes' cores (3 nodes of 1 core), not this machine's.
        Assert.Contains("3 workers (cluster)", stdout.Split('\n').Single(l => l.StartsWith("advice ", StringComparison.Ordinal)), StringComparison.Ordinal);
        // The report says how many items each node ran.
        var report = stdout.Split('\n').Single(l => l.StartsWith("report ", StringComparison.Ordinal));
        foreach (var (pid, items) in executions)
        {
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"pid {pid}) {items.Count:N0}"), report, StringComparison.Ordinal);
        }
        // The driver is gone: every node exits by itself.
        foreach (var node in new[] { a, b, c })
        {
            Assert.Equal(0, node.WaitForExit(TimeSpan.FromSeconds(30)).ExitCode);
        }
    }

    [Fact]
    public void Map_NodeKilledMidRun_EveryResultExactlyOnce()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "1500", "--nodes", "3", "--sleep-ms", "4");
        using var a = ClusterProcess.Node(dir.Job, dir.Log);
        using var b = ClusterProcess.Node(dir.Job, dir.Log);
        using var victim = ClusterProcess.Node(dir.Job, dir.Log);
        dir.WaitForExecutions(victim.Id, 50);

        victim.Kill();
        var (code, stdout, stderr) = driver.WaitForExit();

        // Every result arrived once and is right; the items the killed node had not answered ran again elsewhere.
        Assert.True(code == 0, stderr);
        Assert.Contains(ResultLine(1500), stdout, StringComparison.Ordinal);
        var executions = dir.Executions();
        var survivors = executions.Where(e => e.Key != victim.Id).SelectMany(e => e.Value).ToList();
        Assert.Equal(survivors.Count, survivors.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 1500), survivors.Concat(executions[victim.Id]).Distinct().Order());
    }

    [Fact]
    public void Map_NodesRunningBatchesOnTheirOwnWorkerProcesses_CompletesExactlyOnceAndLeavesNoProcess()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "400", "--nodes", "2", "--sleep-ms", "3");
        using var a = ClusterProcess.Node(dir.Job, dir.Log, executor: "processes");
        using var b = ClusterProcess.Node(dir.Job, dir.Log, executor: "processes");

        var (code, stdout, stderr) = driver.WaitForExit();

        Assert.True(code == 0, stderr);
        Assert.Contains(ResultLine(400), stdout, StringComparison.Ordinal);
        var executions = dir.Executions();
        Assert.DoesNotContain(a.Id, executions.Keys); // the items ran in the nodes' worker processes
        Assert.DoesNotContain(b.Id, executions.Keys);
        Assert.Equal(Enumerable.Range(0, 400), executions.Values.SelectMany(x => x).Order());
        foreach (var node in new[] { a, b })
        {
            Assert.Equal(0, node.WaitForExit(TimeSpan.FromSeconds(30)).ExitCode);
        }
        // The nodes' worker processes end with them.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (executions.Keys.Any(Alive) && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(50);
        }
        Assert.DoesNotContain(executions.Keys, Alive);
    }

    private static bool Alive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); // a zombie is gone
        }
        catch (IOException)
        {
            return false; // no such process (FileNotFound and DirectoryNotFound are IOExceptions)
        }
    }

    [Fact]
    public void Map_NodeJoiningDuringTheRun_GetsWork()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "1500", "--nodes", "1", "--sleep-ms", "4");
        using var first = ClusterProcess.Node(dir.Job, dir.Log);
        dir.WaitForExecutions(first.Id, 100);

        using var late = ClusterProcess.Node(dir.Job, dir.Log);
        var (code, stdout, stderr) = driver.WaitForExit();

        Assert.True(code == 0, stderr);
        Assert.Contains(ResultLine(1500), stdout, StringComparison.Ordinal);
        Assert.NotEmpty(dir.Executions().GetValueOrDefault(late.Id) ?? []);
        Assert.Equal(Enumerable.Range(0, 1500), dir.Executions().Values.SelectMany(x => x).Order());
    }

    [Fact]
    public void DriverKilled_EveryNodeExitsWithinSeconds()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "100000", "--nodes", "2", "--sleep-ms", "2");
        using var a = ClusterProcess.Node(dir.Job, dir.Log);
        using var b = ClusterProcess.Node(dir.Job, dir.Log);
        dir.WaitForExecutions(a.Id, 20);
        dir.WaitForExecutions(b.Id, 20);

        driver.Kill();

        foreach (var node in new[] { a, b })
        {
            var (code, _, stderr) = node.WaitForExit(TimeSpan.FromSeconds(15));
            Assert.Equal(0, code);
            Assert.Contains("the driver is unreachable", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MonteCarlo_OnTheCluster_BitIdenticalToLocal()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--mode", "mc", "--count", "200000", "--nodes", "2");
        using var a = ClusterProcess.Node(dir.Job, dir.Log);
        using var b = ClusterProcess.Node(dir.Job, dir.Log);

        var (code, stdout, stderr) = driver.WaitForExit();

        Assert.True(code == 0, stderr);
        var line = stdout.Split('\n').Single(l => l.StartsWith("mc ", StringComparison.Ordinal)).Trim().Split(' ');
        Assert.Equal(line[2], line[1]);
    }

    [Fact]
    public void Journal_RunOnTheCluster_ResumesLocally()
    {
        using var dir = new ClusterDir();
        var journal = Path.Combine(dir.Root, "j.db");
        using var driver = ClusterProcess.Driver(dir.Job, "--mode", "journal", "--journal", journal, "--count", "3000", "--nodes", "1", "--sleep-ms", "2");
        using var a = ClusterProcess.Node(dir.Job, dir.Log);
        dir.WaitForExecutions(a.Id, 400);
        driver.Kill();
        var recorded = Journal.Open(journal).Items().Select(i => (int)i.Index).ToHashSet();
        Assert.InRange(recorded.Count, 1, 2999);
        Directory.Delete(dir.Log, recursive: true);
        Directory.CreateDirectory(dir.Log);

        // The same map, with the same journal, on this machine's threads (the test app logs there too)
        using var local = ClusterProcess.Start(Path.Combine(dir.Root, "job2"), "--mode", "journal", "--journal", journal, "--count", "3000", "--local", "--sleep-ms", "2");
        var (code, stdout, stderr) = local.WaitForExit();

        Assert.True(code == 0, stderr);
        Assert.Contains(ResultLine(3000), stdout, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{recorded.Count:N0} resumed"), stdout, StringComparison.Ordinal);
    }
}

[CollectionDefinition(nameof(ClusterProcesses), DisableParallelization = true)]
public sealed class ClusterProcesses;
