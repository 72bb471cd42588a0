using Parmap.Scheduling;

namespace Parmap.Executors.Threads;

/// <summary>
/// Dedicated threads for the lanes of runs on threads, kept parked between runs: a map in a loop (time steps, optimizer
/// iterations) wakes parked threads instead of starting and joining new ones (~0.1 ms per call). A thread that stays
/// idle for <see cref="IdleTimeout"/> exits, so a program that stops mapping keeps no threads; at most
/// <see cref="MaxIdle"/> wait at a time. Dedicated (not thread-pool) threads, so that user code that blocks cannot starve a run.
/// </summary>
internal static class LaneThreads
{
    private static readonly Lock s_lock = new();
    private static readonly Stack<LaneThread> s_idle = new();
    private static int s_lastId;

    /// <summary>How long a parked thread waits for work before it exits (settable for tests).</summary>
    public static TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most threads parked at once: two per core, at least four.</summary>
    public static int MaxIdle { get; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Threads parked now.</summary>
    public static int Idle
    {
        get
        {
            lock (s_lock)
            {
                return s_idle.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread: a parked one when there is one, else a new one.</summary>
    public static void Run(Action work)
    {
        LaneThread? thread;
        lock (s_lock)
        {
            s_idle.TryPop(out thread);
        }
        if (thread is null)
        {
            thread = new LaneThread(Interlocked.Increment(ref s_lastId));
        }
        thread.Assign(work);
    }

    /// <summary>Called by a thread that finished its work: parks it, or tells it to exit when enough are parked.</summary>
    private static bool Park(LaneThread thread)
    {
        lock (s_lock)
        {
            if (s_idle.Count >= MaxIdle)
            {
                return false;
            }
            s_idle.Push(thread);
            return true;
        }
    }

    /// <summary>Called by a parked thread whose wait timed out: true when it may exit (nobody took it meanwhile).</summary>
    private static bool Retire(LaneThread thread)
    {
        lock (s_lock)
        {
            if (!s_idle.Contains(thread))
            {
                return false;
            }
            var rest = s_idle.Where(t => t != thread).Reverse().ToArray();
            s_idle.Clear();
            foreach (var t in rest)
            {
                s_idle.Push(t);
            }
            return true;
        }
    }

    private sealed class LaneThread
    {
        private readonly SemaphoreSlim _go = new(0, 1);
        private Action? _work;

        public LaneThread(int id)
        {
            // Do not flow the creator's ExecutionContext: the thread outlives this call.
            using (ExecutionContext.SuppressFlow())
            {
                new Thread(Loop) { IsBackground = true, Name = $"Parmap lane {id}" }.Start();
            }
        }

        public void Assign(Action work)
        {
            _work = work;
            _go.Release();
        }

        private void Loop()
        {
            Lane.MarkDedicatedThread();
            while (true)
            {
                if (!_go.Wait(IdleTimeout))
                {
                    if (Retire(this))
                    {
                        _go.Dispose();
                        return;
                    }
                    // Taken just as the wait timed out: its work is on the way.
                    _go.Wait();
                }
                var work = Interlocked.Exchange(ref _work, null)!;
                work();
                if (!Park(this))
                {
                    _go.Dispose();
                    return;
                }
            }
        }
    }
}
