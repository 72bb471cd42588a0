namespace Parmap.Scheduling;

/// <summary>
/// Marks threads that an executor dedicates to one lane. A wait inside such a lane blocks the thread instead of
/// awaiting, so the lane (and the user code it runs next) stays on its own thread rather than continuing on the pool.
/// </summary>
internal static class LaneThread
{
    [ThreadStatic]
    private static bool s_dedicated;

    /// <summary>True on a thread that <see cref="MarkDedicated"/> was called on.</summary>
    public static bool IsDedicated => s_dedicated;

    /// <summary>Called once by an executor's own lane thread.</summary>
    public static void MarkDedicated() => s_dedicated = true;
}
