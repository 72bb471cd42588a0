using Microsoft.Win32.SafeHandles;

namespace Parmap.Scheduling;

/// <summary>
/// How long the calling thread has waited for a CPU while it was ready to run (Linux: the run-queue delay of
/// <c>/proc/thread-self/schedstat</c>). Time an item spends waiting for a CPU is time other processes (or too many
/// threads) took from the run: a report that counted it as work would state a speedup the run did not achieve.
/// </summary>
internal static class CpuWait
{
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    // Each thread keeps its own file open: opening it costs more than reading it (~15 us against ~2 us here).
    [ThreadStatic]
    private static SafeFileHandle? s_handle;

    /// <summary>Nanoseconds the calling thread has waited on a run queue since it started; 0 where unknown.</summary>
    public static long Nanoseconds()
    {
        if (s_unavailable)
        {
            return 0;
        }
        try
        {
            var handle = s_handle ??= File.OpenHandle("/proc/thread-self/schedstat");
            Span<byte> buffer = stackalloc byte[128];
            var n = RandomAccess.Read(handle, buffer, 0);
            // "<on-cpu ns> <run-queue wait ns> <time slices>"
            var text = buffer[..n];
            var first = text.IndexOf((byte)' ');
            if (first < 0)
            {
                return 0;
            }
            text = text[(first + 1)..];
            long wait = 0;
            foreach (var c in text)
            {
                if (c is < (byte)'0' or > (byte)'9')
                {
                    break;
                }
                wait = (wait * 10) + (c - '0');
            }
            return wait;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            s_unavailable = true;
            return 0;
        }
    }
}
