namespace Parmap;

/// <summary>Where a map runs its items.</summary>
public enum Isolation
{
    /// <summary>Dedicated threads in this process: the cheapest, and the default.</summary>
    Threads,
}
