using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parmap.Cluster.Tests;

/// <summary>A node's life: stopped by SIGTERM before or after joining.</summary>
[Collection(nameof(ClusterProcesses))]
public class ClusterNodeLifeTests
{
    [Fact]
    public void Node_SigtermBeforeItJoined_ExitsAtOnce()
    {
        using var dir = new ClusterDir();
        // A job file whose driver is not there (nothing listens on its port): the node keeps trying to join.
        var (certificate, password, path) = ClusterJob.NewCertificate(dir.Job);
        new ClusterJob("127.0.0.1", FreePort(), certificate.Thumbprint, Path.GetFileName(path), password).Write(dir.Job);
        var app = ClusterProcess.App;
        File.WriteAllText(Path.Combine(dir.Job, "node.sh"), $"""
            export PARMAP_CLUSTER="{Path.Combine(dir.Job, ClusterJob.FileName)}"
            export DOTNET_STARTUP_HOOKS="{Path.Combine(Path.GetDirectoryName(app)!, "Parmap.dll")}"
            exec dotnet "{app}"
            """);
        using var node = ClusterProcess.Node(dir.Job, dir.Log, timeoutSeconds: 120);
        Thread.Sleep(3000); // trying to join

        node.Terminate();

        var (code, _, stderr) = node.WaitForExit(TimeSpan.FromSeconds(10));
        Assert.Equal(143, code);
        Assert.Contains("stopped by a signal", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_SigtermWhileRunning_LeavesAndEveryResultArrivesExactlyOnce()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "2000", "--nodes", "2", "--sleep-ms", "3");
        using var a = ClusterProcess.Node(dir.Job, dir.Log);
        using var leaving = ClusterProcess.Node(dir.Job, dir.Log);
        dir.WaitForExecutions(leaving.Id, 100);

        leaving.Terminate();
        Assert.Equal(143, leaving.WaitForExit(TimeSpan.FromSeconds(15)).ExitCode);
        var (code, stdout, stderr) = driver.WaitForExit();

        Assert.True(code == 0, stderr);
        dir.AssertCompleteOnce(2000, stdout);
    }

    [Fact]
    public void Node_KilledAndRestartedAtOnceOnTheSameFixedPort_RejoinsGetsWorkAndEveryResultArrivesOnce()
    {
        using var dir = new ClusterDir();
        var port = FreePort();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "6000", "--nodes", "1", "--sleep-ms", "5");
        using var first = ClusterProcess.Node(dir.Job, dir.Log, port: port);
        dir.WaitForExecutions(first.Id, 50);

        first.Kill();
        first.WaitForExit(TimeSpan.FromSeconds(15));
        // At once, on the same host:port: the first association reaches the driver while it still holds the old
        // incarnation's; the node starts a fresh incarnation after 8 s without a join.
        using var again = ClusterProcess.Node(dir.Job, dir.Log, port: port);
        dir.WaitForExecutions(again.Id, 50);
        var (code, stdout, stderr) = driver.WaitForExit();

        Assert.True(code == 0, stderr);
        dir.AssertCompleteOnce(6000, stdout);
    }

    [Fact]
    public void Node_CutOffFromTheDriver_DownedSurvivorsFinishExactlyOnceAndTheCutOffNodeExitsWhenItWakes()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "3000", "--nodes", "2", "--sleep-ms", "3");
        using var survivor = ClusterProcess.Node(dir.Job, dir.Log);
        using var cutOff = ClusterProcess.Node(dir.Job, dir.Log);
        dir.WaitForExecutions(cutOff.Id, 50);

        // SIGSTOP: the node neither answers nor sends, as behind a network partition; the driver's side (the oldest
        // member) must stay up and down the other side, never itself.
        cutOff.Signal("STOP");
        var before = dir.Executions().GetValueOrDefault(survivor.Id)?.Count ?? 0;
        var (code, stdout, stderr) = driver.WaitForExit();
        var (survivorCode, _, survivorErr) = survivor.WaitForExit(TimeSpan.FromSeconds(30));
        cutOff.Signal("CONT");
        var (cutOffCode, _, cutOffErr) = cutOff.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, stderr);
        dir.AssertCompleteOnce(3000, stdout);
        // The survivor kept running items after the cut and ended normally with the driver (not downed by the partition).
        Assert.True(dir.Executions()[survivor.Id].Count > before + 100, survivorErr);
        Assert.True(survivorCode == 0, survivorErr);
        Assert.True(cutOffCode is 0 or 1, cutOffErr);
    }

    [Fact]
    public void Map_CancelledWhileNodesRun_ThrowsOnceTheNodesStoppedAndNothingRunsAfter()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--mode", "cancel", "--log", dir.Log, "--count", "5000", "--nodes", "2", "--sleep-ms", "5", "--cancel-at", "300");
        using var a = ClusterProcess.Node(dir.Job, dir.Log);
        using var b = ClusterProcess.Node(dir.Job, dir.Log);

        var (code, stdout, stderr) = driver.WaitForExit();

        Assert.True(code == 0, stderr);
        var line = stdout.Split('\n').Single(l => l.StartsWith("cancelled ", StringComparison.Ordinal)).Trim().Split(' ');
        var atThrow = int.Parse(line[1], CultureInfo.InvariantCulture);
        Assert.InRange(atThrow, 300, 4999);
        Assert.Equal(atThrow, int.Parse(line[2], CultureInfo.InvariantCulture)); // no item ran after the call returned
    }

    [Fact]
    public void Map_EveryNodeLostAndNoneJoins_FailsAfterTheNodeTimeoutSayingHowToGoOn()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "3000", "--nodes", "1", "--sleep-ms", "3", "--timeout", "5");
        using var only = ClusterProcess.Node(dir.Job, dir.Log);
        dir.WaitForExecutions(only.Id, 100);

        only.Kill();
        var (code, _, stderr) = driver.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.Equal(3, code); // the test app's exit code for a ClusterException
        Assert.Contains("Every node of the cluster is gone and none joined within 5 s", stderr, StringComparison.Ordinal);
        Assert.Contains("node.sh", stderr, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
