using System.Diagnostics;
using System.Globalization;

using Parmap;

// One scenario, the way a user's program runs it: start, call Parmap (or a plain loop), print the time, exit.
//   Parmap.UserApp <scenario> <serial|threads|processes> [calls]
// Prints one JSON line per call: the wall time of the call (not of the process), and what the run report said.
var scenario = args[0];
var how = args[1];
var calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
var options = how switch
{
    "threads" => new ParOptions(),
    "processes" => new ParOptions { Executor = ExecutorOptions.Processes },
    _ => null,
};
for (var call = 1; call <= calls; call++)
{
    var clock = Stopwatch.StartNew();
    var (checksum, report) = await Scenarios.RunAsync(scenario, options);
    var wall = clock.Elapsed.TotalSeconds;
    var reported = report is null ? "null" : $"\"{report.ToString().Replace("\"", "'", StringComparison.Ordinal)}\"";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"scenario\":\"{scenario}\",\"how\":\"{how}\",\"call\":{call},\"wall_s\":{wall:F4},\"checksum\":{checksum},\"report\":{reported}}}"));
}

/// <summary>The scenarios: each returns a checksum (to check every variant computed the same) and Parmap's report.</summary>
internal static class Scenarios
{
    public static async Task<(double Checksum, RunReport? Report)> RunAsync(string scenario, ParOptions? options) => scenario switch
    {
        // W2: 2,000 items of ~1 ms.
        "w2" => await Sum(2_000, static i => (double)Kernels.Medium(i), options),
        // Two trivial items: the time to start workers and get results back.
        "trivial" => await Sum(2, static i => i + 1.0, options),
        // W2 items timed inside the item: the checksum is the mean item time in microseconds.
        "w2t" => await Mean(2_000, static i =>
        {
            var t0 = Stopwatch.GetTimestamp();
            _ = Kernels.Medium(i);
            return Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }, options),
        // 20,000 items of ~15 us (a long run of small items on processes).
        "h15" => await Sum(200_000, static i => (double)(Kernels.H((ulong)i, 4_000) >> 40), options),
        // W3 through a grid, 500 x 500 (~5 us per point).
        "w3grid" => await Grid(500, options),
        // A grid of a small ODE model, 200 x 200 (~8 us per point).
        "ode" => await Ode(200, options),
        // W4 through MonteCarlo.Run: 100,000 trials of ~29 us.
        "w4mc" => await Mc(100_000, static rng => (double)Kernels.Trial((int)rng.Trial), options),
        // Monte Carlo of cheap trials: one normal draw, an exp and a max (~0.15 us), 20,000,000 trials.
        "mc015" => await Mc(20_000_000, static rng => Math.Max(Math.Exp(0.2 * rng.Normal()) - 1.0, 0.0), options),
        // Monte Carlo machinery alone: 20,000,000 trials that return a constant.
        "mc0" => await Mc(20_000_000, static rng => 1.0, options),
        // Monte Carlo of ~20 us trials: 100,000 trials.
        "mc20" => await Mc(100_000, static rng => Kernels.Samples(rng.Trial, 7_000), options),
        _ => throw new ArgumentException($"Unknown scenario '{scenario}'."),
    };

    private static async Task<(double, RunReport?)> Sum(int n, Func<int, double> f, ParOptions? options)
    {
        if (options is null)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += f(i);
            }
            return (sum, null);
        }
        var result = await Par.MapOutcomes(Enumerable.Range(0, n).ToArray(), f, options);
        return (result.Values().Sum(), result.Report);
    }

    private static async Task<(double, RunReport?)> Mean(int n, Func<int, double> f, ParOptions? options)
    {
        var (sum, report) = await Sum(n, f, options);
        return (sum / n, report);
    }

    private static async Task<(double, RunReport?)> Grid(int g, ParOptions? options)
    {
        var grid = Parmap.Grid.Of(Axis.Linspace("a", 0, 1, g), Axis.Linspace("b", 0, 1, g));
        if (options is null)
        {
            var sum = 0.0;
            foreach (var p in grid)
            {
                sum += Kernels.Logistic(p.Item1, p.Item2);
            }
            return (sum, null);
        }
        var surface = await Par.Map(grid, static p => Kernels.Logistic(p.Item1, p.Item2), options);
        var total = 0.0;
        foreach (var v in surface.Values)
        {
            total += v;
        }
        return (total, surface.Report);
    }

    private static async Task<(double, RunReport?)> Ode(int g, ParOptions? options)
    {
        var grid = Parmap.Grid.Of(Axis.Linspace("k", 0.1, 2, g), Axis.Linspace("c", 0, 1, g));
        if (options is null)
        {
            var sum = 0.0;
            foreach (var p in grid)
            {
                sum += Kernels.Oscillator(p.Item1, p.Item2);
            }
            return (sum, null);
        }
        var surface = await Par.Map(grid, static p => Kernels.Oscillator(p.Item1, p.Item2), options);
        var total = 0.0;
        foreach (var v in surface.Values)
        {
            total += v;
        }
        return (total, surface.Report);
    }

    private static async Task<(double, RunReport?)> Mc(long trials, Func<Rng, double> trial, ParOptions? options)
    {
        if (options is null)
        {
            // The serial program: one generator per trial, as MonteCarlo.Run hands them out, and a plain mean.
            var sum = 0.0;
            for (long t = 0; t < trials; t++)
            {
                sum += trial(new Rng(42, t));
            }
            return (sum / trials, null);
        }
        var estimate = await MonteCarlo.Run(trials, 42, trial, new MonteCarloOptions { ParOptions = options });
        return (estimate.Mean, Par.LastReport);
    }
}
