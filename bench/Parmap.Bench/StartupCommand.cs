using System.CommandLine;
using System.Diagnostics;

namespace Parmap.Bench;

/// <summary>
/// <c>startup [--reps R] [--workers W]</c>: time from the call to the first result of a map with a cold pool of worker
/// processes (every call starts its workers afresh), next to the same call on threads.
/// </summary>
internal static class StartupCommand
{
    public static Command Create()
    {
        var reps = new Option<int>("--reps") { Description = "Calls to time; the median is reported.", DefaultValueFactory = _ => 9 };
        var workers = new Option<int>("--workers") { Description = "Workers of each cold pool.", DefaultValueFactory = _ => 2 };
        var command = new Command("startup", "Time from Par.Map to its first result with a cold pool of worker processes (median), and with threads.") { reps, workers };
        command.SetAction(async parse =>
        {
            var n = parse.GetValue(reps);
            var w = parse.GetValue(workers);
            var processes = new ParOptions { Executor = ExecutorOptions.Processes, Workers = w };
            var threads = new ParOptions { Workers = w };
            var first = await FirstResultAsync(processes).ConfigureAwait(false);
            var cold = new List<double>();
            var onThreads = new List<double>();
            for (var i = 0; i < n; i++)
            {
                cold.Add(await FirstResultAsync(processes).ConfigureAwait(false));
                onThreads.Add(await FirstResultAsync(threads).ConfigureAwait(false));
            }
            Console.WriteLine(FormattableString.Invariant($"{{\"bench\":\"startup\",\"workers\":{w},\"reps\":{n},\"processes_first_call_ms\":{first:F1},\"processes_cold_median_ms\":{Median(cold):F1},\"processes_cold_min_ms\":{cold.Min():F1},\"threads_median_ms\":{Median(onThreads):F2}}}"));
        });
        return command;
    }

    /// <summary>Milliseconds from the call until the stream yields its first result (of as many items as workers).</summary>
    private static async Task<double> FirstResultAsync(ParOptions options)
    {
        var clock = Stopwatch.StartNew();
        double elapsed = -1;
        await foreach (var _ in Par.Stream(Enumerable.Range(0, options.Workers ?? 2), static x => x + 1, options).ConfigureAwait(false))
        {
            if (elapsed < 0)
            {
                elapsed = clock.Elapsed.TotalMilliseconds;
            }
        }
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
