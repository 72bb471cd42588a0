namespace Parmap.Executors.Processes;

/// <summary>
/// The worker processes of one executor, one slot per lane: each slot holds its worker (or the start of one, a task,
/// so that the lane and the executor's disposal can both wait for it). A slot starts a worker when asked for one and has none.
/// </summary>
internal sealed class WorkerSlots(int count, WorkerSettings settings, OutputForwarder forwarder, bool reuse, CancellationToken disposing)
{
    private readonly Task<WorkerProcess>?[] _slots = new Task<WorkerProcess>?[count];
    private readonly Lock _lock = new();
    private bool _closed;

    public int Count => _slots.Length;

    /// <summary>The worker (or the start of one) of <paramref name="lane"/>, starting one if the slot is empty.</summary>
    /// <exception cref="ObjectDisposedException">The slots were closed (the executor is being disposed).</exception>
    public Task<WorkerProcess> Current(int lane)
    {
        lock (_lock)
        {
            if (_slots[lane] is { } current)
            {
                return current;
            }
            ObjectDisposedException.ThrowIf(_closed, typeof(ProcessExecutor));
            if (reuse && WorkerPark.TryTake(settings.Key) is { } warm)
            {
                _slots[lane] = Task.FromResult(warm);
                return _slots[lane]!;
            }
            var starting = WorkerProcess.StartAsync(settings, forwarder, disposing);
            // Observed here so that a start nobody awaits (a pool slot no lane used) does not surface as unobserved.
            _ = starting.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            _slots[lane] = starting;
            return starting;
        }
    }

    /// <summary>Empties the slot of <paramref name="lane"/> if it still holds <paramref name="starting"/> (a failed start, a retired worker).</summary>
    public void Forget(int lane, Task<WorkerProcess> starting)
    {
        lock (_lock)
        {
            if (_slots[lane] == starting)
            {
                _slots[lane] = null;
            }
        }
    }

    /// <summary>Empties the slot of <paramref name="lane"/> if it holds <paramref name="worker"/>.</summary>
    public void Forget(int lane, WorkerProcess worker)
    {
        lock (_lock)
        {
            if (_slots[lane] is { IsCompletedSuccessfully: true } t && t.Result == worker)
            {
                _slots[lane] = null;
            }
        }
    }

    /// <summary>Empties every slot holding a started worker and returns those workers (the idle timeout stops them).</summary>
    public List<WorkerProcess> TakeStarted()
    {
        var taken = new List<WorkerProcess>();
        lock (_lock)
        {
            for (var k = 0; k < _slots.Length; k++)
            {
                if (_slots[k] is { IsCompletedSuccessfully: true } t)
                {
                    taken.Add(t.Result);
                    _slots[k] = null;
                }
            }
        }
        return taken;
    }

    /// <summary>Closes the slots (no new starts) and returns whatever they held, started or starting.</summary>
    public List<Task<WorkerProcess>> Close()
    {
        var all = new List<Task<WorkerProcess>>();
        lock (_lock)
        {
            _closed = true;
            for (var k = 0; k < _slots.Length; k++)
            {
                if (_slots[k] is { } t)
                {
                    all.Add(t);
                    _slots[k] = null;
                }
            }
        }
        return all;
    }
}
