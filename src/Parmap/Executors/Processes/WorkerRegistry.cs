using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parmap.Executors.Processes;

/// <summary>
/// Every live worker process of this owner. On a normal exit or SIGTERM the runtime raises ProcessExit, and this kills
/// them all; a SIGKILL of the owner is covered in the workers themselves (parent-death signal and end of stdin).
/// </summary>
internal static class WorkerRegistry
{
    private static readonly ConcurrentDictionary<Process, byte> s_live = new();
    private static int s_hooked;

    public static void Add(Process process)
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }
        s_live.TryAdd(process, 0);
    }

    public static void Remove(Process process) => s_live.TryRemove(process, out _);

    private static void KillAll()
    {
        foreach (var process in s_live.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Already gone.
            }
        }
    }
}
