using System.Globalization;
using System.Runtime.InteropServices;

namespace Parmap.Executors.Processes;

/// <summary>The few libc calls the worker processes need (Linux; the fd calls also work on other Unixes).</summary>
internal static class Native
{
    public const int SigKill = 9;
    public const int SigSegv = 11;
    private const int PrSetPdeathsig = 1;
    private const int FDupfdCloexec = 1030;

    /// <summary>Duplicates <paramref name="fd"/> to a new descriptor with close-on-exec set, so that processes the user's code starts do not inherit it.</summary>
    public static int DupCloseOnExec(int fd)
    {
        var copy = fcntl(fd, FDupfdCloexec, 0);
        if (copy < 0)
        {
            throw new IOException($"fcntl(F_DUPFD_CLOEXEC) of fd {fd} failed: errno {Marshal.GetLastPInvokeError()}.");
        }
        return copy;
    }

    /// <summary>Makes <paramref name="target"/> refer to what <paramref name="source"/> refers to.</summary>
    public static void Redirect(int source, int target)
    {
        if (dup2(source, target) < 0)
        {
            throw new IOException($"dup2({source}, {target}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Asks the kernel to SIGKILL this process when the thread that started it exits (Linux only).</summary>
    public static bool KillMeWhenParentDies() => prctl(PrSetPdeathsig, SigKill, 0, 0, 0) == 0;

    public static int ParentProcessId() => getppid();

    public static int Signal(int pid, int signal) => kill(pid, signal);

    /// <summary>Ends the process at once: no ProcessExit handlers, no waiting for threads stuck in user code.</summary>
    public static void ExitNow(int status) => _exit(status);

    /// <summary>Resident set size of this process in bytes, from /proc/self/statm (0 where unavailable).</summary>
    public static long ResidentBytes()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>CPU time (user + system, in clock ticks) process <paramref name="pid"/> has used, from /proc/pid/stat; null where unavailable.</summary>
    public static long? CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may contain spaces), from field 3 on: utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int cmd, int arg);

    [DllImport("libc", SetLastError = true)]
    private static extern int dup2(int oldfd, int newfd);

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc")]
    private static extern int getppid();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [DllImport("libc")]
    private static extern void _exit(int status);
}
