using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

using Parmap;

namespace Parmap.Bench;

/// <summary>
/// <c>crashcost [--items N] [--retries R]</c>: what worker crashes cost. N items of ~1 ms (CPU) on worker processes,
/// 5 of which end their worker (<c>Environment.Exit</c>), with <c>MapOutcomes</c>; every execution is logged (one file per
/// process). Prints one JSON line per setting (Retries 0 and R): executions of healthy items beyond one each, executions
/// of each poison item, the <c>Attempts</c> Parmap reported for them, and the wall time against the same map without
/// poison items, run side by side.
/// </summary>
internal static class CrashCostCommand
{
    private const string LogVariable = "PARMAP_BENCH_EXECUTIONS";
    private const string PoisonVariable = "PARMAP_BENCH_POISON";

    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Items per map.", DefaultValueFactory = _ => 1000 };
        var retries = new Option<int>("--retries") { Description = "Retries of the second setting.", DefaultValueFactory = _ => 2 };
        var command = new Command("crashcost", "Worker crashes: extra executions per crash, the poison items' executions and attempts, wall time against no crash.") { items, retries };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(items);
            long[] poison = [.. Enumerable.Range(1, 5).Select(k => (long)(k * n / 6))];
            foreach (var r in new[] { 0, parse.GetValue(retries) })
            {
                var clean = Measure(n, [], r);
                var crashed = Measure(n, poison, r);
                var healthyExtra = crashed.Executions.Where(e => !poison.Contains(e.Key)).Sum(e => e.Value - 1);
                var missing = n - poison.Length - crashed.Executions.Count(e => !poison.Contains(e.Key));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"bench\":\"crashcost\",\"items\":{n},\"poison\":{poison.Length},\"retries\":{r},\"healthy_extra_executions\":{healthyExtra},\"healthy_missing\":{missing},\"poison_executions\":[{string.Join(",", poison.Select(p => crashed.Executions.GetValueOrDefault(p)))}],\"poison_attempts_reported\":[{string.Join(",", crashed.Attempts)}],\"failed\":{crashed.Failed},\"seconds_no_crash\":{clean.Seconds:F3},\"seconds_with_crashes\":{crashed.Seconds:F3},\"seconds_per_crash\":{(crashed.Seconds - clean.Seconds) / (poison.Length * (r + 1)):F3}}}"));
            }
        });
        return command;
    }

    private static (Dictionary<long, int> Executions, int[] Attempts, int Failed, double Seconds) Measure(int n, long[] poison, int retries)
    {
        var log = Directory.CreateTempSubdirectory("parmap-crashcost-").FullName;
        Environment.SetEnvironmentVariable(LogVariable, log);
        Environment.SetEnvironmentVariable(PoisonVariable, string.Join(",", poison));
        try
        {
            // Fresh workers each time (they read the poison list at start), as a program's first map.
            var options = new ParOptions { Executor = ExecutorOptions.Processes with { ReuseWorkers = false }, Retries = retries, RetryOn = _ => true };
            var watch = Stopwatch.StartNew();
            var result = Par.MapOutcomes(Enumerable.Range(0, n), Item, options).GetAwaiter().GetResult();
            var seconds = watch.Elapsed.TotalSeconds;
            var executions = Directory.GetFiles(log).SelectMany(File.ReadAllLines).Select(l => long.Parse(l, CultureInfo.InvariantCulture))
                .GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
            return (executions, [.. result.Failures.OrderBy(f => f.Index).Select(f => f.Attempts)], result.Failures.Count, seconds);
        }
        finally
        {
            Environment.SetEnvironmentVariable(LogVariable, null);
            Environment.SetEnvironmentVariable(PoisonVariable, null);
            Directory.Delete(log, recursive: true);
        }
    }

    /// <summary>Logs its execution, spins ~1 ms, and ends its worker process when it is a poison item.</summary>
    private static int Item(int x)
    {
        File.AppendAllText(Path.Combine(Environment.GetEnvironmentVariable(LogVariable)!, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)),
            x.ToString(CultureInfo.InvariantCulture) + "\n");
        if (Poison.Contains(x))
        {
            Environment.Exit(42);
        }
        var watch = Stopwatch.StartNew();
        var acc = 0.0;
        while (watch.Elapsed.TotalMilliseconds < 1)
        {
            acc += Math.Sqrt(acc + x);
        }
        return x + (acc < 0 ? 1 : 0);
    }

    private static readonly HashSet<int> Poison = [.. (Environment.GetEnvironmentVariable(PoisonVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
