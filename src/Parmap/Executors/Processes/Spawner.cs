using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parmap.Executors.Processes;

/// <summary>
/// Starts every worker process from one long-lived thread. A worker asks the kernel to kill it when its parent goes
/// (PR_SET_PDEATHSIG), and Linux means the parent *thread*: the thread that called fork. <see cref="Process.Start()"/>
/// forks on the calling thread, and thread-pool threads retire after 20 s idle, which would kill healthy workers.
/// This thread never exits while the process lives.
/// </summary>
internal static class Spawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Done)> s_requests = [];
    private static readonly Lazy<Thread> s_thread = new(StartThread);

    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        _ = s_thread.Value;
        var done = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_requests.Add((info, done));
        return done.Task;
    }

    private static Thread StartThread()
    {
        Thread thread;
        using (ExecutionContext.SuppressFlow())
        {
            thread = new Thread(Loop) { IsBackground = true, Name = "Parmap worker spawner" };
            thread.Start();
        }
        return thread;
    }

    private static void Loop()
    {
        foreach (var (info, done) in s_requests.GetConsumingEnumerable())
        {
            try
            {
                var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned no process.");
                WorkerRegistry.Add(process);
                done.SetResult(process);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }
}
