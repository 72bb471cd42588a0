using Parmap.Executors;

namespace Parmap.Cluster;

/// <summary>
/// Runs a map's batches on the nodes of a cluster (Akka.NET, mutual TLS): <c>new ParOptions { Executor = new
/// ClusterOptions { JobDirectory = "/shared/job1" } }</c>. This program is the driver: the first map starts it (an Akka
/// node on <see cref="Host"/>:<see cref="Port"/>, the seed of the cluster) and writes into <see cref="JobDirectory"/> the
/// files nodes join with; nodes are this same application started in node mode (see <see cref="ClusterNode"/>).
/// </summary>
/// <remarks>
/// The driver lives as long as this process (later maps reuse it and the nodes that joined); nodes exit when it is gone.
/// Each map waits, up to <see cref="NodeTimeout"/>, until <see cref="ExpectedNodes"/> nodes have joined (by default one:
/// it then starts with whoever is there); nodes that join later get work too. Whoever can read the job directory's key
/// can join the cluster and run code on its nodes: keep the directory readable only by you.
/// </remarks>
public sealed record ClusterOptions : ExecutorOptions
{
    /// <summary>The job directory: the driver writes <c>cluster.json</c>, the job's certificate and key (mode 0600) and <c>node.sh</c> there; nodes read them. Required.</summary>
    public string JobDirectory { get; init; } = "";

    /// <summary>The address the driver listens on, and that nodes connect to: a name or IP the nodes can reach. The default is 127.0.0.1 (nodes on this machine).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The driver's TCP port; 0 (the default) picks a free one (written to <c>cluster.json</c>).</summary>
    public int Port { get; init; }

    /// <summary>How many nodes a map waits for before it starts; the default 1 starts with whoever is there (later nodes get work as they join).</summary>
    public int ExpectedNodes { get; init; } = 1;

    /// <summary>How long a map waits for <see cref="ExpectedNodes"/> nodes, and a node for the driver, before failing with a message that says who is missing. The default is 60 s.</summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a node may stay silent before it counts as lost and its batches run elsewhere. The default is 3 s.</summary>
    public TimeSpan NodeSilenceLimit { get; init; } = TimeSpan.FromSeconds(3);

    /// <inheritdoc/>
    public override string Name => "cluster";

    /// <summary>The cores of the nodes that have joined this job's driver in this process; null before its first map started it.</summary>
    public override int? DefaultWorkers => ClusterDriver.Find(JobDirectory) is { Dispatcher.Credits: > 0 and var credits } ? credits : null;

    /// <inheritdoc/>
    public override IExecutor CreateExecutor(int workers)
    {
        Validate();
        var driver = ClusterDriver.Get(this);
        return new ClusterExecutor(driver, driver.WaitForNodes(ExpectedNodes, NodeTimeout));
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        if (string.IsNullOrWhiteSpace(JobDirectory))
        {
            throw new ArgumentException("ClusterOptions.JobDirectory must name a directory: the driver writes the files nodes join with there (for example a directory on a file system the nodes share).", nameof(JobDirectory));
        }
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be 0 (any free port) or a TCP port.");
        }
        if (ExpectedNodes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ExpectedNodes), ExpectedNodes, "ExpectedNodes must be at least 1.");
        }
        if (NodeTimeout <= TimeSpan.Zero || NodeSilenceLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(NodeTimeout), "NodeTimeout and NodeSilenceLimit must be positive.");
        }
    }
}
