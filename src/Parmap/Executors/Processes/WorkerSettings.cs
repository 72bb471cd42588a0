namespace Parmap.Executors.Processes;

/// <summary>What every worker of one executor is started with, taken from <see cref="ProcessOptions"/> once.</summary>
internal sealed record WorkerSettings
{
    /// <summary>DOTNET_PROCESSOR_COUNT of each worker: cores / workers, at least 2 (see <see cref="ProcessExecutor"/>).</summary>
    public required int ProcessorCount { get; init; }

    public TimeSpan? ItemTimeout { get; init; }

    public int? RecycleAfterItems { get; init; }

    public long? RecycleAboveMemory { get; init; }

    /// <summary>The packed <see cref="ProcessOptions.WorkerInitializer"/>, or null.</summary>
    public byte[]? Initializer { get; init; }

    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>The owner's clock: start and silence limits, grace periods, the idle timeout.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where forwarded worker output goes; null for the owner's stderr.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>
    /// With an item timeout the worker's watchdog ends a stuck item itself and sends a heartbeat every 0.5 s; the owner
    /// only steps in when the whole worker stops answering (it cannot even run its watchdog).
    /// </summary>
    public TimeSpan? SilenceLimit => ItemTimeout is { } t ? t + TimeSpan.FromSeconds(2) : null;

    /// <summary>
    /// How long a starting worker may show no sign of life (no CPU time used, no frame: a starting worker sends
    /// heartbeats while its initializer runs) before it counts as stuck and is replaced: the item silence limit, at least 5 s.
    /// </summary>
    public TimeSpan StartSilenceLimit => TimeSpan.FromSeconds(Math.Max(5, (SilenceLimit ?? TimeSpan.FromSeconds(10)).TotalSeconds));

    /// <summary>What a worker is started with and cannot change afterwards: workers with equal keys can serve any map that asks for that key.</summary>
    public WorkerKey Key => new(ProcessorCount, ItemTimeout, RecycleAboveMemory is not null,
        Initializer is null ? "" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Initializer)), Output);
}

/// <summary>
/// What a worker process was started with: its processor count, item timeout (its watchdog), whether it reports its
/// memory, the initializer it ran, and where its output goes (the destination by reference).
/// </summary>
internal sealed record WorkerKey(int ProcessorCount, TimeSpan? ItemTimeout, bool ReportsMemory, string Initializer, TextWriter? Output);
