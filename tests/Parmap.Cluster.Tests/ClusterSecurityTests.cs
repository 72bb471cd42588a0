using System.Globalization;
using System.Net.Sockets;

namespace Parmap.Cluster.Tests;

/// <summary>Mutual TLS pinned to the job's certificate: a stranger certificate and plaintext get nowhere, and the driver goes on.</summary>
[Collection(nameof(ClusterProcesses))]
public class ClusterSecurityTests
{
    [Fact]
    public void Node_WithAStrangerCertificate_CannotJoinAndTheDriverGoesOn()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "100", "--nodes", "1", "--sleep-ms", "1");
        var driverJob = ClusterJob.Read(Path.Combine(dir.Job, ClusterJob.FileName));
        // A job file naming the driver's address, with a certificate of its own (the key of another job)
        var strangerDir = Directory.CreateDirectory(Path.Combine(dir.Root, "stranger")).FullName;
        var (certificate, password, path) = ClusterJob.NewCertificate(strangerDir);
        new ClusterJob(driverJob.Host, driverJob.Port, certificate.Thumbprint, Path.GetFileName(path), password).Write(strangerDir);

        using (var stranger = ClusterProcess.Node(dir.Job, dir.Log, clusterFile: Path.Combine(strangerDir, ClusterJob.FileName), timeoutSeconds: 15))
        {
            var (code, _, stderr) = stranger.WaitForExit();
            Assert.NotEqual(0, code);
            Assert.DoesNotContain("parmap node: joined the driver", stderr, StringComparison.Ordinal);
        }
        Assert.Empty(dir.Executions()); // it ran nothing
        Assert.False(driver.HasExited, driver.Stderr);

        using var node = ClusterProcess.Node(dir.Job, dir.Log);
        var (exit, stdout, driverErr) = driver.WaitForExit();
        Assert.True(exit == 0, driverErr);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"result 100 0 {Enumerable.Range(0, 100).Sum(x => (long)x * x)}"), stdout, StringComparison.Ordinal);
        Assert.Equal([node.Id], dir.Executions().Keys);
    }

    [Fact]
    public async Task Node_OfAnotherBuild_IsRefusedWithAClearMessage()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "50", "--nodes", "1", "--sleep-ms", "1");
        var other = System.Reflection.Assembly.GetExecutingAssembly().GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "ClusterOtherApp").Value!;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(other);
        start.Environment["PARMAP_CLUSTER"] = Path.Combine(dir.Job, ClusterJob.FileName);
        start.Environment["DOTNET_STARTUP_HOOKS"] = Path.Combine(Path.GetDirectoryName(other)!, "Parmap.dll");

        using var node = System.Diagnostics.Process.Start(start)!;
        var stderr = await node.StandardError.ReadToEndAsync();
        Assert.True(node.WaitForExit(60_000), "the refused node did not exit");

        Assert.Equal(4, node.ExitCode);
        Assert.Contains("runs another build of the application (Parmap.ClusterOtherApp", stderr, StringComparison.Ordinal);
        Assert.Contains("Start the nodes from the same build as the driver", stderr, StringComparison.Ordinal);
        using var good = ClusterProcess.Node(dir.Job, dir.Log);
        Assert.Equal(0, driver.WaitForExit().ExitCode);
    }

    [Fact]
    public void Plaintext_IsRefusedAndTheDriverGoesOn()
    {
        using var dir = new ClusterDir();
        using var driver = ClusterProcess.Driver(dir.Job, "--count", "100", "--nodes", "1", "--sleep-ms", "1");
        var job = ClusterJob.Read(Path.Combine(dir.Job, ClusterJob.FileName));

        // A plaintext client (what an Akka node without TLS sends first is not a TLS ClientHello either)
        using (var client = new TcpClient(job.Host, job.Port))
        {
            var stream = client.GetStream();
            stream.ReadTimeout = 15_000;
            stream.Write("akka.tcp plaintext hello\r\n\r\n"u8);
            var buffer = new byte[4096];
            var received = 0;
            var closed = false;
            try
            {
                // The TLS server answers what is not a ClientHello with at most an alert, and closes the connection.
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    received += n;
                }
                closed = true;
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                closed = true;
            }
            Assert.True(closed, "the driver kept a plaintext connection open");
            Assert.InRange(received, 0, 64);
        }
        Assert.False(driver.HasExited, driver.Stderr);

        using var node = ClusterProcess.Node(dir.Job, dir.Log);
        var (exit, _, stderr) = driver.WaitForExit();
        Assert.True(exit == 0, stderr);
    }
}
