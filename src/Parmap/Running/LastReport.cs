namespace Parmap.Running;

/// <summary>The report of the most recently finished run in this process (what <see cref="Par.LastReport"/> shows).</summary>
internal static class LastReport
{
    private static RunReport? s_value;

    public static RunReport? Value => Volatile.Read(ref s_value);

    public static void Set(RunReport report) => Volatile.Write(ref s_value, report);
}
