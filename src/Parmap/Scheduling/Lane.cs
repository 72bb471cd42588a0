namespace Parmap.Scheduling;

/// <summary>What code running in a scheduler's lane knows about its situation.</summary>
internal static class Lane
{
    private static readonly AsyncLocal<bool> s_inside = new();

    [ThreadStatic]
    private static bool s_dedicated;

    /// <summary>
    /// True inside a lane of a run (also in a worker process, whose items run in a lane of the owner's run): a map
    /// started here is nested in another and runs inline (the outer map already keeps every core busy).
    /// </summary>
    public static bool Inside
    {
        get => s_inside.Value;
        set => s_inside.Value = value;
    }

    /// <summary>
    /// True on a thread that an executor dedicates to one lane. A wait inside such a lane blocks the thread instead of
    /// awaiting, so the lane (and the user code it runs next) stays on its own thread rather than continuing on the pool.
    /// </summary>
    public static bool OnDedicatedThread => s_dedicated;

    /// <summary>Called once by an executor's own lane thread.</summary>
    public static void MarkDedicatedThread() => s_dedicated = true;
}
