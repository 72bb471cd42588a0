using System.Collections.Concurrent;
using System.Reflection;

namespace Parmap.Scheduling;

/// <summary>
/// What earlier runs in this process measured per item, by function: the batch cost per item on each executor (a later
/// map of the same function starts its batches at the right size instead of at one item), and the item's own time in
/// this process (a serial baseline for runs in worker processes, which cannot measure one themselves).
/// </summary>
internal static class ItemCosts
{
    private const int MaxEntries = 10_000;
    private static readonly ConcurrentDictionary<(MethodInfo Function, string Executor), double> s_batchSeconds = new();
    private static readonly ConcurrentDictionary<MethodInfo, (double Seconds, string Basis)> s_serialSeconds = new();

    /// <summary>Seconds per item that batches of <paramref name="function"/> took on <paramref name="executor"/> last time; null when never measured.</summary>
    public static double? BatchSecondsPerItem(MethodInfo function, string executor) =>
        s_batchSeconds.TryGetValue((function, executor), out var seconds) ? seconds : null;

    public static void RememberBatch(MethodInfo function, string executor, double secondsPerItem)
    {
        if (double.IsFinite(secondsPerItem) && secondsPerItem > 0 && (s_batchSeconds.Count < MaxEntries || s_batchSeconds.ContainsKey((function, executor))))
        {
            s_batchSeconds[(function, executor)] = secondsPerItem;
        }
    }

    /// <summary>One item of <paramref name="function"/>, run alone in this process, and how that was measured; null when never measured.</summary>
    public static (double Seconds, string Basis)? SerialSecondsPerItem(MethodInfo function) =>
        s_serialSeconds.TryGetValue(function, out var cost) ? cost : null;

    public static void RememberSerial(MethodInfo function, double secondsPerItem, string basis)
    {
        if (double.IsFinite(secondsPerItem) && secondsPerItem > 0 && (s_serialSeconds.Count < MaxEntries || s_serialSeconds.ContainsKey(function)))
        {
            s_serialSeconds[function] = (secondsPerItem, basis);
        }
    }
}
