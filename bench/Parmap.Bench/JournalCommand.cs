using System.CommandLine;
using System.Diagnostics;

using Parmap.Bench.Workloads;

namespace Parmap.Bench;

/// <summary>
/// <c>journal [--reps R]</c>: what a journal costs. W2 with and without a journal (interleaved, medians), W1 journaled
/// throughput (items/s), and the time to resume a finished 1,000,000-item journal.
/// </summary>
internal static class JournalCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--reps") { Description = "Timed repetitions per variant; medians are reported.", DefaultValueFactory = _ => 5 };
        var command = new Command("journal", "Journal overhead on W2, journaled W1 throughput, and resume time of a finished 1,000,000-item journal.") { reps };
        command.SetAction(async parse =>
        {
            var r = parse.GetValue(reps);
            var dir = Directory.CreateTempSubdirectory("parmap-bench-journal");
            try
            {
                await RunAsync(r, dir.FullName).ConfigureAwait(false);
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        });
        return command;
    }

    private static async Task RunAsync(int reps, string dir)
    {
        Func<int, long> medium = static i => Kernels.Medium(i);
        Func<int, long> tiny = static i => Kernels.Tiny(i);
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
        var w2Plain = Median(plain);
        var w2Journaled = Median(journaled);
        var overhead = 100 * (w2Journaled - w2Plain) / w2Plain;
        var w1 = Median(w1Journaled);
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"bench\":\"journal\",\"reps\":{reps},\"w2_plain_s\":{w2Plain:F4},\"w2_journaled_s\":{w2Journaled:F4},\"w2_overhead_pct\":{overhead:F2},\"w1_plain_s\":{Median(w1Plain):F4},\"w1_journaled_s\":{w1:F4},\"w1_journaled_items_per_s\":{1_000_000 / w1:F0},\"resume_1m_s\":{Median(resume):F4}}}"));
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

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
