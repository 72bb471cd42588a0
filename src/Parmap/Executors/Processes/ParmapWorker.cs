using Parmap.Executors.Processes;

namespace Parmap;

/// <summary>
/// Explicit entry into worker mode, for applications where .NET startup hooks do not run (NativeAOT, trimmed apps,
/// <c>System.StartupHookProvider.IsSupported=false</c>). Everywhere else workers start without it.
/// </summary>
/// <example>
/// <code>
/// static async Task Main(string[] args)
/// {
///     ParmapWorker.RunIfWorker(); // first line: in a worker process this serves the owner and exits; otherwise it returns at once
///     ...
/// }
/// </code>
/// </example>
public static class ParmapWorker
{
    /// <summary>
    /// In a worker process: runs the worker loop and exits the process (never returns). In a cluster node (the
    /// <c>PARMAP_CLUSTER</c> environment variable set, Parmap.Cluster referenced): serves the driver and exits. Otherwise:
    /// returns immediately.
    /// </summary>
    /// <remarks>Call it as the first line of <c>Main</c>, before anything writes to the console.</remarks>
    public static void RunIfWorker()
    {
        if (Environment.GetEnvironmentVariable(WorkerLaunch.WorkerVariable) is { Length: > 0 } id)
        {
            WorkerMain.RunAndExit(id);
        }
        if (Environment.GetEnvironmentVariable("PARMAP_CLUSTER") is { Length: > 0 })
        {
            // Node mode of a cluster job lives in Parmap.Cluster, which core does not reference: found by name.
            var node = Type.GetType("Parmap.Cluster.ClusterNode, Parmap.Cluster", throwOnError: false);
            if (node?.GetMethod("RunIfNode") is not { } run)
            {
                Console.Error.WriteLine("parmap: PARMAP_CLUSTER is set (node mode), but this application does not reference the Parmap.Cluster package, so it cannot be a cluster node. Start nodes from the driver's application.");
                Environment.Exit(2);
                return;
            }
            run.Invoke(null, null);
        }
    }
}
