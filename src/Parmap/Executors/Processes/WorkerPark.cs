namespace Parmap.Executors.Processes;

/// <summary>
/// Warm worker processes kept between maps, as loky keeps its reusable executor: a map on worker processes takes idle
/// workers that were started with the same settings (<see cref="WorkerKey"/>) instead of starting new ones, and gives
/// its workers back when it ends. An idle worker exits after its idle timeout (<see cref="ProcessOptions.WorkerIdleTimeout"/>)
/// and, like every worker, never outlives this process. At most <see cref="MaxIdle"/> workers wait here; the oldest go first.
/// </summary>
internal static class WorkerPark
{
    private static readonly Lock s_lock = new();
    private static readonly LinkedList<Parked> s_idle = [];

    /// <summary>Most idle workers kept: two per core, at least four.</summary>
    public static int MaxIdle { get; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>Idle workers waiting here now.</summary>
    public static int Count
    {
        get
        {
            lock (s_lock)
            {
                return s_idle.Count;
            }
        }
    }

    /// <summary>An idle worker started with <paramref name="key"/>, taken out of the park; null when there is none.</summary>
    public static WorkerProcess? TryTake(WorkerKey key)
    {
        while (true)
        {
            Parked? found = null;
            lock (s_lock)
            {
                for (var node = s_idle.Last; node is not null; node = node.Previous)
                {
                    if (node.Value.Key == key)
                    {
                        found = node.Value;
                        s_idle.Remove(node);
                        break;
                    }
                }
            }
            if (found is null)
            {
                return null;
            }
            found.Timer.Dispose();
            if (found.Worker.CanServe)
            {
                return found.Worker;
            }
            // It died while it waited (killed from outside, out of memory): not one to hand out.
            _ = found.Worker.StopAsync();
        }
    }

    /// <summary>Keeps <paramref name="worker"/> for the next map with its key, for at most <paramref name="idleTimeout"/>.</summary>
    public static void Return(WorkerKey key, WorkerProcess worker, TimeSpan idleTimeout, TimeProvider time)
    {
        Parked? evicted = null;
        var parked = new Parked(key, worker);
        lock (s_lock)
        {
            s_idle.AddLast(parked);
            if (s_idle.Count > MaxIdle)
            {
                evicted = s_idle.First!.Value;
                s_idle.RemoveFirst();
            }
            parked.Timer = time.CreateTimer(static state => Expire((Parked)state!), parked, idleTimeout, Timeout.InfiniteTimeSpan);
        }
        if (evicted is not null)
        {
            evicted.Timer.Dispose();
            _ = evicted.Worker.StopAsync();
        }
    }

    /// <summary>Stops every idle worker now (they exit; maps that start later start fresh ones).</summary>
    public static Task StopAllAsync()
    {
        List<Parked> all;
        lock (s_lock)
        {
            all = [.. s_idle];
            s_idle.Clear();
        }
        foreach (var parked in all)
        {
            parked.Timer.Dispose();
        }
        return Task.WhenAll(all.Select(p => p.Worker.StopAsync()));
    }

    private static void Expire(Parked parked)
    {
        lock (s_lock)
        {
            if (!s_idle.Remove(parked))
            {
                return;
            }
        }
        parked.Timer.Dispose();
        _ = parked.Worker.StopAsync();
    }

    private sealed class Parked(WorkerKey key, WorkerProcess worker)
    {
        public WorkerKey Key { get; } = key;

        public WorkerProcess Worker { get; } = worker;

        public ITimer Timer { get; set; } = null!;
    }
}
