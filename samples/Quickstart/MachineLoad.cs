using System.Globalization;

namespace Parmap.Quickstart;

/// <summary>
/// CPU used by other processes, from /proc (Linux; elsewhere it reports nothing). A speedup measured while something
/// else runs is understated, and <c>dotnet run</c> has often just built the program (its build processes can still be
/// busy for a few seconds): the demo waits for a quiet machine before timing, and says when something else ran.
/// </summary>
internal static class MachineLoad
{
    private const double TicksPerSecond = 100; // USER_HZ

    /// <summary>Waits (up to 10 s) until other processes use less than a tenth of a core.</summary>
    public static async Task WaitForQuietAsync(CancellationToken cancellationToken)
    {
        var told = false;
        for (var tries = 0; tries < 40; tries++)
        {
            var start = Sample();
            await Task.Delay(250, cancellationToken);
            var others = OthersSeconds(start) / 0.25;
            if (others is null || others < 0.1)
            {
                return;
            }
            if (!told)
            {
                Console.WriteLine($"(waiting for other processes to finish: they use {others * 100:F0}% of a core)");
                told = true;
            }
        }
    }

    /// <summary>A reading to pass to <see cref="OthersSeconds"/>.</summary>
    public static (long Busy, long Own)? Sample()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
            var busy = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(cpu[i], CultureInfo.InvariantCulture));
            return (busy, OwnTicks());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds other processes used since <paramref name="start"/>; null where /proc cannot tell.</summary>
    public static double? OthersSeconds((long Busy, long Own)? start) =>
        start is { } s && Sample() is { } now ? Math.Max(0, (now.Busy - s.Busy) - (now.Own - s.Own)) / TicksPerSecond : null;

    /// <summary>Ticks used by this process and its children (worker processes with --processes).</summary>
    private static long OwnTicks()
    {
        var self = Environment.ProcessId;
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name (which may hold spaces): state ppid ... utime (14) stime (15).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (pid == self || int.Parse(fields[1], CultureInfo.InvariantCulture) == self)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
        return ticks;
    }

    /// <summary>A note when other processes used more than 5% of the CPU time of a timing of <paramref name="wall"/> on all cores.</summary>
    public static string? Note(double? othersSeconds, TimeSpan wall) =>
        othersSeconds is { } s && s > 0.05 * wall.TotalSeconds * Environment.ProcessorCount
            ? $"  note       other processes used {s:F1} s of CPU meanwhile: the achieved speedup is understated; run again on a quiet machine"
            : null;
}
