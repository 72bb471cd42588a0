using Parmap.Cluster;

namespace Parmap.Cli.Sweep;

/// <summary>
/// <c>parmap run --cluster DIR</c> and <c>parmap node</c>: the items on the cluster executor's nodes. The nodes are
/// this same tool (<c>parmap node --join DIR/cluster.json</c>, or <c>DIR/node.sh</c>), so the item function ships to
/// them as it does to worker processes; each node runs as many programs at once as it has cores. Kept in its own
/// class so that Akka is loaded only when a cluster is asked for.
/// </summary>
internal static class ClusterSupport
{
    public static ExecutorOptions Options(string directory, int nodes) => new ClusterOptions { JobDirectory = directory, ExpectedNodes = nodes };

    /// <summary>Serves the driver that wrote <paramref name="clusterJson"/> until it is gone, then exits the process.</summary>
    public static int RunNode(string clusterJson, int? cores)
    {
        if (cores is { } n)
        {
            Environment.SetEnvironmentVariable("PARMAP_NODE_CORES", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Environment.SetEnvironmentVariable(ClusterNode.Variable, Path.GetFullPath(clusterJson));
        ClusterNode.RunIfNode();
        return 0;
    }
}
