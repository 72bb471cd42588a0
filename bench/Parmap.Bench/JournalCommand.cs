using System.CommandLine;
using System.Diagnostics;

using Parmap.Bench.Workloads;

namespace Parmap.Bench;

/// <summary>
/// <c>journal [--reps R] [--warmup K] [--cold C]</c>: what a journal costs. W2 with and without a journal (interleaved,
/// medians) once the journal's code is warm, W2 as the first map of a fresh process (the one-time cost: loading SQLite
/// and compiling the journal's code), W1 journaled throughput (items/s), and the time to resume a finished
/// 1,000,000-item journal.
/// </summary>
/// <remarks>
/// Why a warm-up: the runtime compiles a method again, optimized, after its 30th call, on a background thread. Most of
/// the journal's code runs a few times per map (opening the file, creating tables, committing), so the first ~30
/// journaled maps of a process share the cores with that compiler; the run-to-run cost is what is left after. The
/// warm-up runs both variants (with small inputs) the same number of times; the cold figure reports the one-time cost.
/// </remarks>
internal static class JournalCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per variant; medians are reported.", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed small maps per variant before the timed W2 runs.", DefaultValueFactory = _ => 40 };
        var cold = new Option<int>("--cold") { Description = "Fresh processes per variant for the first-map figure.", DefaultValueFactory = _ => 5 };
        var command = new Command("journal", "Journal overhead on W2 (warm, and as a process's first map), journaled W1 throughput, and resume time of a finished 1,000,000-item journal.") { reps, warmup, cold };
        command.SetAction(async parse =>
        {
            var dir = Directory.CreateTempSubdirectory("parmap-bench-journal");
            try
            {
                await RunAsync(parse.GetValue(reps), parse.GetValue(warmup), parse.GetValue(cold), dir.FullName).ConfigureAwait(false);
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>The hidden <c>journal-once [--journal PATH]</c>: one W2 map as the first map of this process; prints its seconds.</summary>
    public static Command CreateOnce()
    {
        var journal = new Option<string?>("--journal") { Description = "Journal path; none for a plain map." };
        var command = new Command("journal-once", "One W2 map as the process's first map (used by 'journal').") { journal };
        command.Hidden = true;
        command.SetAction(async parse =>
        {
            var (seconds, checksum) = await TimeAsync(2_000, static i => Kernels.Medium(i), parse.GetValue(journal)).ConfigureAwait(false);
            Check("W2 once", checksum, 4221833748893);
            Console.WriteLine(seconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        });
        return command;
    }

    private static async Task RunAsync(int reps, int warmup, int coldReps, string dir)
    {
        Func<int, long> medium = static i => Kernels.Medium(i);
        Func<int, long> tiny = static i => Kernels.Tiny(i);
        var coldPlain = new List<double>();
        var coldJournaled = new List<double>();
        for (var rep = 0; rep < coldReps; rep++)
        {
            coldPlain.Add(await OnceInFreshProcessAsync(null).ConfigureAwait(false));
            coldJournaled.Add(await OnceInFreshProcessAsync(Fresh(dir, $"cold-{rep}.db")).ConfigureAwait(false));
        }
        for (var rep = 0; rep < warmup; rep++)
        {
            await TimeAsync(200, medium, null).ConfigureAwait(false);
            await TimeAsync(200, medium, Fresh(dir, "warmup.db")).ConfigureAwait(false);
        }
        var plain = new List<double>();
        var journaled = new List<double>();
        for (var rep = 0; rep <= reps; rep++)
        {
            var a = await TimeAsync(2_000, medium, null).ConfigureAwait(false);
            var b = await TimeAsync(2_000, medium, Fresh(dir, $"w2-{rep}.db")).ConfigureAwait(false);
            if (rep > 0)
            {
                plain.Add(a.Seconds);
                journaled.Add(b.Seconds);
            }
            Check("W2", a.Checksum, 4221833748893);
            Check("W2 journaled", b.Checksum, 4221833748893);
        }
        var w1Plain = new List<double>();
        var w1Journaled = new List<double>();
        var resume = new List<double>();
        for (var rep = 0; rep <= reps; rep++)
        {
            var path = Fresh(dir, $"w1-{rep}.db");
            var a = await TimeAsync(1_000_000, tiny, null).ConfigureAwait(false);
            var b = await TimeAsync(1_000_000, tiny, path).ConfigureAwait(false);
            var c = await TimeAsync(1_000_000, tiny, path).ConfigureAwait(false);
            Check("W1", a.Checksum, 2147845616063639);
            Check("W1 journaled", b.Checksum, 2147845616063639);
            Check("W1 resumed", c.Checksum, 2147845616063639);
            if (rep > 0)
            {
                w1Plain.Add(a.Seconds);
                w1Journaled.Add(b.Seconds);
                resume.Add(c.Seconds);
            }
        }
        var w3Plain = new List<double>();
        var w3Journaled = new List<double>();
        for (var rep = 0; rep <= Math.Min(reps, 3); rep++)
        {
            var a = await TimeGridAsync(null).ConfigureAwait(false);
            var b = await TimeGridAsync(Fresh(dir, "w3.db")).ConfigureAwait(false);
            Check("W3", a.Checksum, 2681980046249612);
            Check("W3 journaled", b.Checksum, 2681980046249612);
            if (rep > 0)
            {
                w3Plain.Add(a.Seconds);
                w3Journaled.Add(b.Seconds);
            }
        }
        var w2Plain = Median(plain);
        var w2Journaled = Median(journaled);
        var overhead = 100 * (w2Journaled - w2Plain) / w2Plain;
        var w1 = Median(w1Journaled);
        var (cp, cj) = (coldReps > 0 ? Median(coldPlain) : double.NaN, coldReps > 0 ? Median(coldJournaled) : double.NaN);
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"bench\":\"journal\",\"reps\":{reps},\"warmup\":{warmup},\"w2_cold_plain_s\":{Json(cp, "F4")},\"w2_cold_journaled_s\":{Json(cj, "F4")},\"w2_cold_extra_ms\":{Json(1000 * (cj - cp), "F1")},\"w2_plain_s\":{w2Plain:F4},\"w2_journaled_s\":{w2Journaled:F4},\"w2_overhead_pct\":{overhead:F2},\"w1_plain_s\":{Median(w1Plain):F4},\"w1_journaled_s\":{w1:F4},\"w1_journaled_items_per_s\":{1_000_000 / w1:F0},\"resume_1m_s\":{Median(resume):F4},\"w3_plain_s\":{Median(w3Plain):F4},\"w3_journaled_s\":{Median(w3Journaled):F4},\"w3_overhead_pct\":{100 * (Median(w3Journaled) - Median(w3Plain)) / Median(w3Plain):F1}}}"));
    }

    private static async Task<(double Seconds, long Checksum)> TimeAsync(int n, Func<int, long> item, string? journal)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var clock = Stopwatch.StartNew();
        var values = await Par.Map(Enumerable.Range(0, n), item, new ParOptions { Journal = journal, HandleInterrupts = false }).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        return (seconds, values.Sum());
    }

    /// <summary>Runs <c>journal-once</c> in a new process of this program; returns the seconds it printed.</summary>
    private static async Task<double> OnceInFreshProcessAsync(string? journal)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        var entry = typeof(JournalCommand).Assembly.Location;
        // The apphost is named like the assembly without '.dll' ("Parmap.Bench": not a name to strip an extension from).
        if (!Path.GetFileName(Environment.ProcessPath!).Equals(Path.GetFileNameWithoutExtension(entry), StringComparison.Ordinal))
        {
            start.ArgumentList.Add(entry); // Run as 'dotnet Parmap.Bench.dll'.
        }
        start.ArgumentList.Add("journal-once");
        if (journal is not null)
        {
            start.ArgumentList.Add("--journal");
            start.ArgumentList.Add(journal);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"journal-once exited with {process.ExitCode}: {output}");
        }
        return double.Parse(output.Trim().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>W3, the seed's 1000 x 1000 grid through Grid + Par.Map, with or without a journal.</summary>
    private static async Task<(double Seconds, long Checksum)> TimeGridAsync(string? journal)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var clock = Stopwatch.StartNew();
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, 1000), Axis.Linspace("b", 0, 1, 1000));
        var surface = await Par.Map(grid, static p => Kernels.LogisticAt(p.Item1, p.Item2), new ParOptions { Journal = journal, HandleInterrupts = false }).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        long checksum = 0;
        foreach (var x in surface.Values)
        {
            checksum += Kernels.Truncated(x);
        }
        return (seconds, checksum);
    }

    private static string Fresh(string dir, string name)
    {
        var path = Path.Combine(dir, name);
        foreach (var file in Directory.EnumerateFiles(dir, name + "*"))
        {
            File.Delete(file);
        }
        return path;
    }

    private static void Check(string what, long checksum, long reference)
    {
        if (checksum != reference)
        {
            throw new InvalidOperationException($"{what}: checksum {checksum}, expected {reference}.");
        }
    }

    /// <summary>A number for the JSON line; null when it was not measured (<c>--cold 0</c>).</summary>
    private static string Json(double value, string format) =>
        double.IsNaN(value) ? "null" : value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
