using System.Globalization;

using Akka.Actor;

namespace Parmap.Cluster;

/// <summary>
/// The driver of a job: this process's Akka node, seed of the cluster, with the <see cref="Dispatcher"/> of its batches.
/// One per job directory, started by the first map that uses it and kept for later maps; it ends with the process
/// (the nodes then exit).
/// </summary>
internal sealed class ClusterDriver
{
    private static readonly Dictionary<string, ClusterDriver> s_drivers = [];
    private readonly ActorSystem _system;
    private readonly IActorRef _actor;

    private ClusterDriver(ClusterOptions options, string directory)
    {
        Options = options;
        Directory = directory;
        // An older run's file goes first: nodes waiting for this driver must not join that one's address.
        var old = System.IO.Path.Combine(directory, ClusterJob.FileName);
        if (File.Exists(old))
        {
            File.Delete(old);
        }
        var (certificate, password, path) = ClusterJob.NewCertificate(directory);
        _system = ActorSystem.Create(ClusterJob.SystemName, ClusterConfig.Setup(options.Host, options.Port, options.NodeSilenceLimit, certificate));
        var cluster = Akka.Cluster.Cluster.Get(_system);
        cluster.Join(cluster.SelfAddress);
        IActorRef? actor = null;
        Dispatcher = new Dispatcher(() => actor!);
        actor = _system.ActorOf(Props.Create(() => new DriverActor(Dispatcher, BuildIdentity.Current)), ClusterJob.DriverActor);
        _actor = actor;
        Job = new ClusterJob(options.Host, cluster.SelfAddress.Port ?? options.Port, certificate.Thumbprint, System.IO.Path.GetFileName(path), password);
        Job.Write(directory);
        NodeScript.Write(directory);
    }

    public ClusterOptions Options { get; }

    public string Directory { get; }

    public ClusterJob Job { get; }

    public Dispatcher Dispatcher { get; }

    /// <summary>The driver of the options' job directory: the running one, or a new one.</summary>
    public static ClusterDriver Get(ClusterOptions options)
    {
        var directory = System.IO.Path.GetFullPath(options.JobDirectory);
        lock (s_drivers)
        {
            if (s_drivers.TryGetValue(directory, out var driver))
            {
                if (driver.Options.Host != options.Host || (options.Port != 0 && driver.Job.Port != options.Port))
                {
                    throw new InvalidOperationException($"The job directory '{directory}' already has a driver in this process, at {driver.Job.Seed}; a map with other ClusterOptions.Host or Port cannot use it. Use the same options, or another job directory.");
                }
                return driver;
            }
            driver = new ClusterDriver(options, directory);
            s_drivers[directory] = driver;
            return driver;
        }
    }

    /// <summary>The running driver of <paramref name="jobDirectory"/> in this process, if any.</summary>
    public static ClusterDriver? Find(string jobDirectory)
    {
        if (string.IsNullOrWhiteSpace(jobDirectory))
        {
            return null;
        }
        lock (s_drivers)
        {
            return s_drivers.GetValueOrDefault(System.IO.Path.GetFullPath(jobDirectory));
        }
    }

    /// <summary>Waits until <paramref name="expected"/> nodes are in service; returns the cores they have.</summary>
    public int WaitForNodes(int expected, TimeSpan timeout)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var changed = Dispatcher.NodesChanged;
            if (Dispatcher.NodeCount >= expected)
            {
                return Dispatcher.Credits;
            }
            var left = timeout - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !changed.Wait(left))
            {
                throw new ClusterException(NoNodesMessage(expected, timeout));
            }
        }
    }

    private string NoNodesMessage(int expected, TimeSpan timeout)
    {
        var refused = Dispatcher.Refused;
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"The cluster driver at {Job.Seed} waited {timeout.TotalSeconds:N0} s for {expected} node(s); {Dispatcher.NodeCount} joined."),
            "Start nodes (this same application in node mode) on the machines of the cluster, for example:",
            $"  sh {System.IO.Path.Combine(Directory, NodeScript.FileName)}",
            $"  (or: PARMAP_CLUSTER={System.IO.Path.Combine(Directory, ClusterJob.FileName)} DOTNET_STARTUP_HOOKS={typeof(Par).Assembly.Location} dotnet {NodeScript.AppCommand()})",
            "Nodes must reach this address, read the job directory, and run the same build of the application.",
        };
        lines.AddRange(refused.Select(r => "Refused: " + r));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Stops the driver (tests; a program's driver ends with the process).</summary>
    public static void StopAll()
    {
        lock (s_drivers)
        {
            foreach (var driver in s_drivers.Values)
            {
                driver._system.Terminate().Wait(TimeSpan.FromSeconds(10));
            }
            s_drivers.Clear();
        }
    }
}
