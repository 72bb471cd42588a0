using System.Collections.Concurrent;

using Parmap.Shipping;

namespace Parmap.Executors.Processes;

/// <summary>
/// Runs lanes against worker processes: this application relaunched in worker mode, one process per lane.
/// <code>
///  Owner process                                                   Worker process N (same app, same build)
///  ─────────────                                                   ───────────────────────────────────────
///  Scheduler lane k ──► ProcessBatchRunner.RunAsync(k, batch)      StartupHook.Initialize (before Main) ─► WorkerMain
///                          │ AcquireAsync(k): slot k's worker,       │ prctl(PDEATHSIG) + getppid check
///                          │   started on the Spawner thread         │ protocol moved off fd 0/1 (dup), fd 1 → stderr
///                          │ Open(function) once per worker          │ WorkerServer: Hello: same build? WorkerInitializer
///                          │ Batch(inputs) ──── stdin pipe ─────────►│ reader thread ─► queue ─► main loop:
///                          │                                         │   RemoteBatchRunner ─► LocalBatchRunner: f(x)...
///                          │                                         │   EOF of stdin ⇒ exit at once (owner gone)
///                          │ ◄─────────── stdout pipe ── Result(values, errors) (whole frame or nothing)
///                          │ EOF ⇒ crashed: BatchRecovery retries,   │ ItemWatchdog (ItemTimeout): heartbeats,
///                          │   then splits down to the poison item   │   a stuck item ⇒ partial Result + exit
///  StderrPump N ◄────────────────── stderr pipe (its stdout too) ──── Console.Write in user code
///      └─► OutputForwarder ─► "[worker N] ..." on the owner's stderr (or ProcessOptions.WorkerOutput)
///  WorkerRegistry: ProcessExit (normal exit, SIGTERM) kills every worker; DisposeAsync kills the process trees.
/// </code>
/// </summary>
internal sealed class ProcessExecutor : IExecutor
{
    /// <summary>Batches aim at this duration: the pipe round trip (15-60 us) stays well under 1% of it, and the tail still balances.</summary>
    private static readonly TimeSpan s_targetBatch = TimeSpan.FromMilliseconds(15);
    private readonly WorkerSlots _slots;
    private readonly OutputForwarder _forwarder;
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);
    private readonly bool _reuse;
    private readonly Action? _initializer;
    private readonly bool _allowMutableStaticReads;
    private readonly CancellationTokenSource _disposing = new();
    private readonly ConcurrentDictionary<Task, byte> _stopping = new();
    private readonly Lock _timerLock = new();
    private ITimer? _idleTimer;
    private volatile bool _disposed;

    public ProcessExecutor(ProcessOptions options, int workers)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            throw new PlatformNotSupportedException("Worker processes need Linux or another Unix (they relaunch the app with pipes and startup hooks); use ExecutorOptions.Threads here.");
        }
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WorkerLaunch.WorkerVariable)))
        {
            // This process was started as a worker but its startup hook did not run, so Main ran instead: starting
            // workers from here would relaunch the app again and again.
            throw new InvalidOperationException(
                "This process was started as a Parmap worker, but the startup hook did not run (NativeAOT, trimming, or " +
                "System.StartupHookProvider.IsSupported=false). Call ParmapWorker.RunIfWorker() as the first line of Main.");
        }
        Settings = new WorkerSettings
        {
            // Each worker sees its share of the cores, so that code using Parallel or the thread pool inside an item does
            // not oversubscribe the machine; but at least 2: with DOTNET_PROCESSOR_COUNT=1 the runtime never promoted a
            // worker's code from its first, unoptimized tier (measured: W1 on warm workers 1.11x over serial, 1.79x with 2).
            ProcessorCount = Math.Max(2, Environment.ProcessorCount / workers),
            ItemTimeout = options.ItemTimeout,
            RecycleAfterItems = options.RecycleAfterItems,
            RecycleAboveMemory = options.RecycleAboveMemory,
            Initializer = options.WorkerInitializer is { } init ? FunctionPacker.Pack(init) : null,
            IdleTimeout = options.WorkerIdleTimeout,
            Output = options.WorkerOutput,
        };
        Info = new ExecutorInfo(options.Name, workers, s_targetBatch);
        _initializer = options.WorkerInitializer;
        _allowMutableStaticReads = options.AllowMutableStaticReads;
        _reuse = options.ReuseWorkers;
        _forwarder = OutputForwarder.For(options.WorkerOutput);
        _slots = new WorkerSlots(workers, Settings, _forwarder, _reuse, _disposing.Token);
    }

    public ExecutorInfo Info { get; }

    public WorkerSettings Settings { get; }

    public TimeProvider Time => Settings.Time;

    public async Task RunLanesAsync(int lanes, Func<int, ValueTask> lane)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, _slots.Count);
        await _oneRunAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            StopIdleTimer();
            var running = new Task[lanes];
            for (var k = 0; k < lanes; k++)
            {
                var index = k;
                // Lanes mostly wait on pipes; the pool threads they borrow are free while a worker computes.
                running[k] = Task.Run(() => RunLaneAsync(lane, index));
            }
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        finally
        {
            StartIdleTimer();
            _oneRunAtATime.Release();
        }
    }

    /// <summary>
    /// Runs one lane. Its batches continue on the worker's reader thread once their answer arrives; before the lane
    /// completes (and with it, maybe, the caller's own code), it moves to the thread pool, so that nothing the caller
    /// does next can block a reader thread that it then waits on.
    /// </summary>
    private static async Task RunLaneAsync(Func<int, ValueTask> lane, int index)
    {
        try
        {
            await lane(index).ConfigureAwait(false);
        }
        finally
        {
            if (WorkerProcess.OnReaderThread)
            {
                await Task.Yield();
            }
        }
    }

    public ValueTask<IBatchRunner<TIn, TOut>> OpenAsync<TIn, TOut>(WorkFunction<TIn, TOut> function, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Everything that can refuse the function or its types runs before any process starts.
        var shipped = ShippedFunction.Create(function, _initializer, _allowMutableStaticReads);
        cancellationToken.ThrowIfCancellationRequested();
        for (var k = 0; k < _slots.Count; k++)
        {
            _ = _slots.Current(k);
        }
        return new(new ProcessBatchRunner<TIn, TOut>(this, shipped));
    }

    /// <summary>The worker serving <paramref name="lane"/>, starting one if it has none or its worker is retired.</summary>
    public async ValueTask<WorkerProcess> AcquireAsync(int lane, CancellationToken cancellationToken)
    {
        while (true)
        {
            var starting = _slots.Current(lane);
            WorkerProcess worker;
            try
            {
                worker = await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (starting.IsFaulted || starting.IsCanceled)
            {
                _slots.Forget(lane, starting);
                ObjectDisposedException.ThrowIf(_disposed, this);
                throw;
            }
            if (!worker.Retired)
            {
                return worker;
            }
            _slots.Forget(lane, starting);
        }
    }

    /// <summary>Takes <paramref name="worker"/> out of service: killed at once, or (recycling) asked to finish and exit.</summary>
    public void Discard(int lane, WorkerProcess worker, bool kill)
    {
        _slots.Forget(lane, worker);
        worker.Retire();
        if (kill)
        {
            worker.Kill();
            Track(worker.WaitGoneAsync());
        }
        else
        {
            Track(worker.StopAsync());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        StopIdleTimer();
        var gone = new List<Task>();
        foreach (var worker in _slots.Close())
        {
            if (_reuse && worker is { IsCompletedSuccessfully: true, Result.CanServe: true })
            {
                // Healthy and idle: it waits, warm, for the next map with the same settings.
                WorkerPark.Return(Settings.Key, worker.Result, Settings.IdleTimeout, Time);
            }
            else
            {
                gone.Add(KillWhenStartedAsync(worker));
            }
        }
        await _disposing.CancelAsync().ConfigureAwait(false);
        gone.AddRange(_stopping.Keys);
        await Task.WhenAll(gone).ConfigureAwait(false);
        await _forwarder.DrainAsync(TimeSpan.FromSeconds(1), Time).ConfigureAwait(false);
        _disposing.Dispose();
    }

    private static async Task KillWhenStartedAsync(Task<WorkerProcess> starting)
    {
        try
        {
            var worker = await starting.ConfigureAwait(false);
            worker.Kill();
            await worker.WaitGoneAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WorkerStartException or OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It never started, or its start was cancelled by this disposal (which killed it).
        }
    }

    private void Track(Task stopping)
    {
        _stopping.TryAdd(stopping, 0);
        _ = stopping.ContinueWith(t => _stopping.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void StartIdleTimer()
    {
        lock (_timerLock)
        {
            if (!_disposed)
            {
                _idleTimer?.Dispose();
                _idleTimer = Time.CreateTimer(_ => StopIdleWorkers(), null, Settings.IdleTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void StopIdleTimer()
    {
        lock (_timerLock)
        {
            _idleTimer?.Dispose();
            _idleTimer = null;
        }
    }

    /// <summary>Idle timeout: workers of a pool that has run nothing for a while exit; the next map starts fresh ones.</summary>
    private void StopIdleWorkers()
    {
        if (_disposed || !_oneRunAtATime.Wait(0))
        {
            return;
        }
        try
        {
            foreach (var idle in _slots.TakeStarted())
            {
                idle.Retire();
                Track(idle.StopAsync());
            }
        }
        finally
        {
            _oneRunAtATime.Release();
        }
    }
}
