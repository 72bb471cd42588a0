using System.Globalization;
using System.Net;

using Akka.Actor;

namespace Parmap.Cluster;

/// <summary>
/// Node mode: this application serving a cluster driver. A process started with <c>PARMAP_CLUSTER</c> naming a job's
/// <c>cluster.json</c> becomes a node before its <c>Main</c> runs (through Parmap's startup hook, as worker processes
/// do: the job directory's <c>node.sh</c> sets both), joins the driver over mutual TLS, runs the batches it is sent on
/// its cores (on its threads, or with <c>PARMAP_NODE_EXECUTOR=processes</c> on worker processes of its own), and exits
/// when the driver is gone. <c>PARMAP_NODE_CORES</c>, <c>PARMAP_NODE_HOST</c>, <c>PARMAP_NODE_PORT</c> and
/// <c>PARMAP_NODE_TIMEOUT</c> (seconds to wait for the driver) tune it.
/// </summary>
/// <remarks>Where startup hooks do not run (NativeAOT), call <see cref="RunIfNode"/> (or <c>ParmapWorker.RunIfWorker()</c>) as the first line of <c>Main</c>.</remarks>
public static class ClusterNode
{
    /// <summary>The environment variable naming the job's <c>cluster.json</c>.</summary>
    public const string Variable = "PARMAP_CLUSTER";

    /// <summary>In node mode (<see cref="Variable"/> set): serves the driver, then exits the process (never returns). Otherwise returns at once.</summary>
    public static void RunIfNode()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path)
        {
            Environment.SetEnvironmentVariable(Variable, null); // maps this node runs itself are not nodes
            Environment.Exit(Run(path));
        }
    }

    /// <summary>Set by SIGTERM or SIGINT: the node leaves the cluster and exits, joined or not.</summary>
    private static readonly CancellationTokenSource s_stop = new();

    private static int Run(string path)
    {
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        var timeout = double.TryParse(Environment.GetEnvironmentVariable("PARMAP_NODE_TIMEOUT"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t > 0
            ? TimeSpan.FromSeconds(t) : TimeSpan.FromSeconds(60);
        var started = TimeProvider.System.GetTimestamp();
        // Nodes may start before the driver (srun starts every task at once): wait for its file, and when a join fails
        // because the file was an older driver's (another certificate), join again with the new one.
        string? lastThumbprint = null;
        var fixedPortRetry = TimeSpan.FromSeconds(8);
        (int Code, string Reason)? failed = null;
        while (true)
        {
            if (s_stop.IsCancellationRequested)
            {
                Console.Error.WriteLine("parmap node: stopped by a signal");
                return 143;
            }
            var left = timeout - TimeProvider.System.GetElapsedTime(started);
            if (!File.Exists(path))
            {
                if (left <= TimeSpan.Zero)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"parmap node: '{path}' did not appear within {timeout.TotalSeconds:N0} s. The driver (the program whose map runs with ClusterOptions) writes it into its job directory when its first map starts."));
                    return 2;
                }
                Pause();
                continue;
            }
            ClusterJob job;
            System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
            try
            {
                job = ClusterJob.Read(path);
                certificate = job.LoadCertificate(Path.GetDirectoryName(Path.GetFullPath(path))!);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                if (left > TimeSpan.Zero)
                {
                    Pause(); // the driver may be writing its files right now
                    continue;
                }
                Console.Error.WriteLine($"parmap node: {e.Message}");
                return 2;
            }
            if (job.Thumbprint == lastThumbprint && failed is { } failure)
            {
                // Joining with this file failed: wait for a newer driver to write it, until the timeout.
                if (left <= TimeSpan.Zero)
                {
                    Console.Error.WriteLine($"parmap node: {failure.Reason}");
                    return failure.Code;
                }
                Pause();
                continue;
            }
            lastThumbprint = job.Thumbprint;
            var (code, reason) = Serve(path, job, certificate, left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1), fixedPortRetry);
            if (code == Restart && !s_stop.IsCancellationRequested)
            {
                fixedPortRetry *= 2; // a slow network still joins
                continue; // a fresh Akka system (a new incarnation) on the same fixed port
            }
            if (code is 3 or 5 && !s_stop.IsCancellationRequested)
            {
                failed = (code, reason); // perhaps an older driver's file (srun starts nodes before the driver writes it)
                continue;
            }
            Console.Error.WriteLine($"parmap node: {reason}");
            return code;
        }
    }

    /// <summary>
    /// Serve's answer when a node on a fixed port did not join within its retry window (8 s, doubled at each restart): start again with a
    /// fresh Akka system. A node restarted at once on the same host:port (after kill -9) can otherwise wait for ever:
    /// its first association reaches the driver while the driver still holds the old incarnation's, and Akka's classic
    /// remoting never answers it (measured: no join within 60 s in 3 runs of 4). A new incarnation started after the
    /// driver has dropped the old one joins in 2-3 s.
    /// </summary>
    private const int Restart = 6;


    private static string? Thumbprint(string path)
    {
        try
        {
            return ClusterJob.Read(path).Thumbprint;
        }
        catch (InvalidDataException)
        {
            return null; // being rewritten
        }
    }

    private static void Pause() => s_stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));

    private static void Stop(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true; // the node leaves the cluster first, then exits (RunIfNode)
        s_stop.Cancel();
    }

    private static (int Code, string Reason) Serve(string path, ClusterJob job, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, TimeSpan joinTimeout, TimeSpan fixedPortRetry)
    {
        var host = Environment.GetEnvironmentVariable("PARMAP_NODE_HOST") is { Length: > 0 } h ? h
            : IPAddress.TryParse(job.Host, out var ip) && IPAddress.IsLoopback(ip) ? job.Host : Dns.GetHostName();
        var cores = int.TryParse(Environment.GetEnvironmentVariable("PARMAP_NODE_CORES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c > 0
            ? c : Environment.ProcessorCount;
        var exit = new TaskCompletionSource<(int Code, string Reason)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = int.TryParse(Environment.GetEnvironmentVariable("PARMAP_NODE_PORT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
        using var system = ActorSystem.Create(ClusterJob.SystemName, ClusterConfig.Setup(host, port, TimeSpan.FromSeconds(3), certificate));
        var seed = Address.Parse(job.Seed);
        using var workers = new NodeWorkers(cores);
        system.ActorOf(Props.Create(() => new NodeActor(seed, cores, workers, exit)), "parmap-node");
        // Akka stops the system when a TLS handshake with the driver fails (a certificate that is not the job's).
        system.WhenTerminated.ContinueWith(_ => exit.TrySetResult((5, workers.Joined
            ? "the node's Akka system stopped"
            : $"the node's Akka system stopped before it joined the driver at {job.Seed}: a TLS handshake with it failed (is '{path}' the running driver's file, with its certificate?)")), TaskScheduler.Default);
        Akka.Cluster.Cluster.Get(system).JoinSeedNodes([seed]);
        using var stopping = s_stop.Token.Register(() => exit.TrySetResult((143, "stopped by a signal; left the cluster")));
        var waiting = TimeProvider.System.GetTimestamp();
        while (!exit.Task.Wait(TimeSpan.FromSeconds(1)) && !workers.Joined)
        {
            // Not joined yet: give up when a newer driver has written the file (this one was an older run's), or at the timeout.
            if (Thumbprint(path) is { } now && now != job.Thumbprint)
            {
                return (3, "a newer driver wrote the cluster file");
            }
            if (port != 0 && TimeProvider.System.GetElapsedTime(waiting) > fixedPortRetry && joinTimeout > fixedPortRetry)
            {
                return (Restart, "not joined yet on the fixed port; starting a new incarnation");
            }
            if (TimeProvider.System.GetElapsedTime(waiting) > joinTimeout)
            {
                return (3, string.Create(CultureInfo.InvariantCulture,
                    $"could not join the driver at {job.Seed} within {joinTimeout.TotalSeconds:N0} s. Is the driver running, can this machine reach it, and is '{path}' the running driver's file (same certificate)?"));
            }
        }
        var result = exit.Task.GetAwaiter().GetResult();
        if (s_stop.IsCancellationRequested || CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClrExitReason)
        {
            // SIGTERM or Ctrl-C (Akka's own process-exit hook may get it first and leave the cluster): say so.
            result = (143, "stopped by a signal; left the cluster");
        }
        if (result.Code == 143)
        {
            // Leave the cluster properly: the driver sees the node removed at once instead of waiting for it to go silent.
            _ = Akka.Actor.CoordinatedShutdown.Get(system).Run(Akka.Actor.CoordinatedShutdown.ClusterLeavingReason.Instance).Wait(TimeSpan.FromSeconds(5));
        }
        return result;
    }
}
