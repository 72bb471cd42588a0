using Parmap.Executors.Processes;

namespace Parmap.Cluster;

/// <summary>
/// <c>node.sh</c> in the job directory: starts this application (the same host command line as the driver's, like
/// a worker process) in node mode, with the job named by <c>PARMAP_CLUSTER</c> and Parmap's startup hook. On another
/// machine the application must be at the same path (a shared file system, or the same deployment).
/// </summary>
internal static class NodeScript
{
    public const string FileName = "node.sh";

    /// <summary>The command line that starts this application, quoted for sh (without the host executable's path when it is dotnet).</summary>
    public static string AppCommand() => string.Join(" ", WorkerLaunch.HostArguments().Skip(1).Select(Quote));

    public static void Write(string directory)
    {
        var host = WorkerLaunch.HostArguments();
        var executable = Environment.ProcessPath ?? host[0];
        var script = $"""
            #!/bin/sh
            # Starts the application as a node of the Parmap cluster whose driver wrote this directory. Run it on each node machine
            # (PARMAP_NODE_CORES=N caps the batches it runs at once; PARMAP_NODE_HOST=name is the address the driver reaches it at).
            export PARMAP_CLUSTER="$(cd "$(dirname "$0")" && pwd)/{ClusterJob.FileName}"
            export DOTNET_STARTUP_HOOKS={Quote(WorkerLaunch.HookAssemblyPath)}
            exec {string.Join(" ", new[] { executable }.Concat(host.Skip(1)).Select(Quote))} "$@"

            """;
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path, script.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
