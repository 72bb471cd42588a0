namespace Parmap;

/// <summary>Where a map runs its items.</summary>
public enum Isolation
{
    /// <summary>Dedicated threads in this process: the cheapest, and the default.</summary>
    Threads,

    /// <summary>
    /// Worker processes: this application relaunched in worker mode, one process per worker. For code that crashes,
    /// leaks, holds global state, is not thread-safe, or calls native libraries. A crashing item fails alone; workers
    /// never outlive the owner. Inputs and results travel as MessagePack; pays off from roughly 10 us of work per item.
    /// </summary>
    Processes,
}
