using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

using Parmap;

namespace Parmap.Bench;

/// <summary>
/// <c>journalkill [--kills K] [--busy B]</c>: what a journaled run loses when it is killed with SIGKILL. Each kill starts
/// tests/Parmap.JournalTestApp (a journaled map of 2,000 items of 3 ms on 2 workers, logging each finished item with its
/// time) on a fresh journal, kills it at a moment spread evenly over 0-1.5 s after the start, and compares the items it
/// finished with those the journal committed. With <c>--busy B</c>, B shell loops keep the CPUs busy meanwhile.
/// Prints one JSON line per condition (quiet, busy): the items lost per kill and the age of the oldest lost item (how
/// much work before the kill was lost), median, 90th percentile and maximum, and the kills that found no journal yet.
/// </summary>
internal static class JournalKillCommand
{
    public static Command Create()
    {
        var kills = new Option<int>("--kills") { Description = "Kills per condition.", DefaultValueFactory = _ => 30 };
        var busy = new Option<int>("--busy") { Description = "Busy loops for the busy condition.", DefaultValueFactory = _ => 2 };
        var command = new Command("journalkill", "SIGKILL journaled runs at many moments, quiet and on a busy machine: the work each kill loses.") { kills, busy };
        command.SetAction(parse =>
        {
            var app = App();
            var n = parse.GetValue(kills);
            foreach (var loops in new[] { 0, parse.GetValue(busy) })
            {
                var results = new List<(double Lost, double OldestMs, bool NoJournal)>();
                var busyLoops = Enumerable.Range(0, loops).Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!).ToList();
                try
                {
                    for (var k = 0; k < n; k++)
                    {
                        results.Add(KillOnce(app, TimeSpan.FromSeconds(1.5 * k / Math.Max(1, n - 1))));
                    }
                }
                finally
                {
                    foreach (var p in busyLoops)
                    {
                        p.Kill();
                        p.WaitForExit();
                    }
                }
                var lost = results.Select(r => r.Lost).Order().ToArray();
                var oldest = results.Select(r => r.OldestMs).Order().ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"bench\":\"journalkill\",\"busy_loops\":{loops},\"kills\":{n},\"no_journal_yet\":{results.Count(r => r.NoJournal)},\"lost_items_median\":{lost[n / 2]},\"lost_items_p90\":{lost[(int)(0.9 * (n - 1))]},\"lost_items_max\":{lost[^1]},\"oldest_lost_ms_median\":{oldest[n / 2]:F0},\"oldest_lost_ms_p90\":{oldest[(int)(0.9 * (n - 1))]:F0},\"oldest_lost_ms_max\":{oldest[^1]:F0}}}"));
            }
        });
        return command;
    }

    private static (double Lost, double OldestMs, bool NoJournal) KillOnce(string app, TimeSpan after)
    {
        var dir = Directory.CreateTempSubdirectory("parmap-journalkill-").FullName;
        try
        {
            var journal = Path.Combine(dir, "j.db");
            var log = Path.Combine(dir, "log");
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { app, "--journal", journal, "--count", "2000", "--log", log, "--sleep-ms", "3", "--workers", "2", "--log-times" })
            {
                start.ArgumentList.Add(a);
            }
            using var process = Process.Start(start)!;
            Thread.Sleep(after);
            var killedAt = Stopwatch.GetTimestamp();
            process.Kill();
            process.WaitForExit();
            var finished = File.Exists(log)
                ? File.ReadAllLines(log).Select(l => l.Split(' ')).Where(p => p.Length == 2).Select(p => (Item: long.Parse(p[0], CultureInfo.InvariantCulture), At: long.Parse(p[1], CultureInfo.InvariantCulture))).ToList()
                : [];
            var noJournal = !File.Exists(journal);
            var committed = noJournal ? [] : Journal.Open(journal).Items().Select(i => i.Index).ToHashSet();
            var lost = finished.Where(f => !committed.Contains(f.Item)).ToList();
            var oldestMs = lost.Count == 0 ? 0 : Stopwatch.GetElapsedTime(lost.Min(l => l.At), killedAt).TotalMilliseconds;
            return (lost.Count, oldestMs, noJournal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string App()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var repository = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repository, "tests", "Parmap.JournalTestApp", "bin", here.Parent.Name, here.Name, "Parmap.JournalTestApp.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"tests/Parmap.JournalTestApp is not built at '{path}'.", path);
    }
}
