using System.Diagnostics;

namespace Parmap.Executors.Processes;

/// <summary>
/// How to relaunch this very application as a worker: the same executable and host arguments (so the same deps.json,
/// runtimeconfig and frameworks), without the application's own arguments, plus environment variables that make the
/// startup hook in Parmap.dll take over before <c>Main</c>.
/// </summary>
internal static class WorkerLaunch
{
    /// <summary>Set in a worker's environment to its id; the startup hook runs the worker loop when it is present.</summary>
    public const string WorkerVariable = "PARMAP_WORKER";

    /// <summary>Set in a worker's environment to the owner's process id (the worker exits if its parent is not the owner).</summary>
    public const string OwnerVariable = "PARMAP_OWNER_PID";

    public const string HooksVariable = "DOTNET_STARTUP_HOOKS";

    public static string HookAssemblyPath => typeof(WorkerLaunch).Assembly.Location;

    /// <summary>
    /// The host part of this process's command line. <c>/proc/self/cmdline</c> holds every argument the process was
    /// started with; <see cref="Environment.GetCommandLineArgs"/> holds only the application's (after the entry
    /// assembly). The difference is what the host needed: <c>[app]</c> for an apphost, <c>[dotnet, app.dll]</c>, or
    /// <c>[dotnet, exec, --runtimeconfig, ..., --depsfile, ..., testhost.dll]</c> under <c>dotnet test</c>.
    /// </summary>
    public static IReadOnlyList<string> HostArguments()
    {
        var appArguments = Environment.GetCommandLineArgs().Length - 1;
        string[] all;
        try
        {
            var raw = File.ReadAllText("/proc/self/cmdline");
            all = raw.TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            all = [];
        }
        if (all.Length > appArguments)
        {
            var host = all[..(all.Length - appArguments)];
            // `dotnet bin/app.dll` names the app relative to the directory it was started in, which may have changed
            // since; the runtime knows its full path.
            var app = Environment.GetCommandLineArgs()[0];
            if (host.Length > 1 && Path.IsPathRooted(app) && Path.GetFileName(host[^1]) == Path.GetFileName(app))
            {
                host[^1] = app;
            }
            return host;
        }
        // No /proc (not Linux): rebuild the usual shapes.
        var entry = Environment.GetCommandLineArgs()[0];
        var process = Environment.ProcessPath ?? entry;
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? [process, entry] : [process];
    }

    public static ProcessStartInfo StartInfo(int workerId, int processorCount)
    {
        var path = Environment.ProcessPath ?? throw new PlatformNotSupportedException("The path of this process's executable is unknown, so it cannot be relaunched as a worker.");
        var host = HostArguments();
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        for (var k = 1; k < host.Count; k++)
        {
            info.ArgumentList.Add(host[k]);
        }
        var hooks = Environment.GetEnvironmentVariable(HooksVariable);
        info.Environment[HooksVariable] = string.IsNullOrEmpty(hooks) ? HookAssemblyPath : $"{hooks}{Path.PathSeparator}{HookAssemblyPath}";
        info.Environment[WorkerVariable] = workerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment[OwnerVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Each worker sees its share of the cores, so that code using Parallel or the thread pool inside an item does not
        // oversubscribe the machine. The runtime's tiering is left at its defaults: measured, a zero tiering delay made
        // fresh workers slower (its background recompilation took a third of a core from the items), and Parmap's own
        // per-item paths are compiled optimized at once (AggressiveOptimization) so they do not wait for tiering.
        info.Environment["DOTNET_PROCESSOR_COUNT"] = processorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return info;
    }

    /// <summary>In a worker: removes the worker variables and this hook from the environment, so processes the user's code starts are ordinary.</summary>
    public static void ClearWorkerEnvironment()
    {
        Environment.SetEnvironmentVariable(WorkerVariable, null);
        Environment.SetEnvironmentVariable(OwnerVariable, null);
        var hooks = Environment.GetEnvironmentVariable(HooksVariable);
        if (hooks is not null)
        {
            var rest = hooks.Split(Path.PathSeparator).Where(h => h.Length > 0 && !string.Equals(h, HookAssemblyPath, StringComparison.Ordinal));
            var joined = string.Join(Path.PathSeparator, rest);
            Environment.SetEnvironmentVariable(HooksVariable, joined.Length == 0 ? null : joined);
        }
    }
}
