using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Parmap.IntegrationTests;

/// <summary>Looks at real processes through /proc: children of a process, whether a pid is alive.</summary>
internal static partial class Procs
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigInt = 2;
    public const int SigStop = 19;

    /// <summary>Live (not zombie) processes whose parent is <paramref name="parent"/>, busy loops of <see cref="BusyLoops"/> left out.</summary>
    public static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            if (Stat(pid) is { } stat && stat.ParentPid == parent && stat.State != 'Z' && !BusyLoops.IsBusyLoop(pid))
            {
                children.Add(pid);
            }
        }
        return children;
    }

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } stat && stat.State is not ('Z' or 'X');

    /// <summary>Waits until <paramref name="condition"/> holds, polling; false if it still does not after <paramref name="limit"/>.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                return false;
            }
            Thread.Sleep(10);
        }
        return true;
    }

    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    /// <summary>
    /// Throws when <paramref name="pid"/> ignores <paramref name="signal"/> from birth: a test that signals an owner
    /// would otherwise fail with a misleading exit code. A shell without job control starts background commands
    /// (<c>cmd &amp;</c> in a script) with SIGINT ignored, and every process they start inherits that.
    /// </summary>
    public static void RequireNotIgnored(int pid, int signal)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (signal - 1))) != 0)
        {
            throw new InvalidOperationException(
                $"Process {pid} ignores signal {signal}, inherited from this test run: the tests were started in the background " +
                "by a shell without job control (e.g. 'cmd &' in a script), which ignores SIGINT. Run the tests in the foreground.");
        }
    }

    /// <summary>Directory of the built test app (see the csproj).</summary>
    public static string TestAppDirectory { get; } = typeof(Procs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestAppDirectory").Value!;

    private static (char State, int ParentPid)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) S ppid ...": comm may contain spaces and parentheses, so parse from the last ')'.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (rest[0][0], int.Parse(rest[1], CultureInfo.InvariantCulture));
    }

    [LibraryImport("libc")]
    private static partial int kill(int pid, int sig);
}
