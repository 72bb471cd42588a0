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
    /// <summary>In a worker process: runs the worker loop and exits the process (never returns). Otherwise: returns immediately.</summary>
    /// <remarks>Call it as the first line of <c>Main</c>, before anything writes to the console.</remarks>
    public static void RunIfWorker()
    {
        if (Environment.GetEnvironmentVariable(WorkerLaunch.WorkerVariable) is { Length: > 0 } id)
        {
            WorkerMain.RunAndExit(id);
        }
    }
}
