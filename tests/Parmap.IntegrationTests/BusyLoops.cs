using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parmap.IntegrationTests;

/// <summary>
/// Processes that keep CPUs busy (a shell loop each), killed on dispose. They are children of the test process, so
/// <see cref="Procs.ChildrenOf"/> leaves them out (tests count worker processes).
/// </summary>
internal sealed class BusyLoops : IDisposable
{
    private static readonly ConcurrentDictionary<int, bool> s_running = new();
    private readonly List<Process> _processes;

    private BusyLoops(List<Process> processes) => _processes = processes;

    /// <summary>True for the pid of a running busy loop.</summary>
    public static bool IsBusyLoop(int pid) => s_running.ContainsKey(pid);

    public static BusyLoops Start(int count)
    {
        var processes = new List<Process>();
        for (var i = 0; i < count; i++)
        {
            var p = Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!;
            s_running[p.Id] = true;
            processes.Add(p);
        }
        return new BusyLoops(processes);
    }

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try
            {
                p.Kill();
                p.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
            s_running.TryRemove(p.Id, out _);
            p.Dispose();
        }
    }
}
