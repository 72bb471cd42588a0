using System.Diagnostics;

using Parmap;
using Parmap.Plots;

namespace Parmap.Quickstart;

/// <summary>The seed's "Monte Carlo simulation with 100000 trials": pi from random points in the unit square.</summary>
internal static class SeedMonteCarlo
{
    private const int Samples = 1000;

    /// <summary>One trial: the share of 1,000 random points of the unit square inside the quarter circle, times 4.</summary>
    public static double EstimatePi(Rng rng)
    {
        var hits = 0;
        for (var k = 0; k < Samples; k++)
        {
            var x = rng.Uniform();
            var y = rng.Uniform();
            if ((x * x) + (y * y) < 1.0)
            {
                hits++;
            }
        }
        return 4.0 * hits / Samples;
    }

    public static async Task<bool> RunAsync(long trials, ParOptions options, string dir, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Monte Carlo: {trials:N0} trials of pi ({Samples:N0} samples each) through MonteCarlo.Run, seed 42");

        // An untimed run first, so that neither timed run pays for loading and compiling the Monte Carlo code: the runtime
        // first compiles a method quickly and optimizes it only after it has run for a while (~0.1 s), so a short warm-up
        // would leave the first timed run (one worker) slower, and the speedup flattered. Short runs, for 0.3 s.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(0.3))
        {
            await MonteCarlo.Run(Math.Min(trials, 2_000), seed: 1, EstimatePi, new MonteCarloOptions { ParOptions = options }, cancellationToken);
        }

        // The one-liner, on one worker and then on all of them: each trial's random stream comes from (seed, trial) only.
        var load = MachineLoad.Sample();
        var clock = Stopwatch.StartNew();
        var one = await MonteCarlo.Run(trials, seed: 42, EstimatePi, new MonteCarloOptions { ParOptions = options with { Workers = 1 } }, cancellationToken);
        var serial = clock.Elapsed;
        clock.Restart();
        var all = await MonteCarlo.Run(trials, seed: 42, EstimatePi, new MonteCarloOptions { ParOptions = options }, cancellationToken);
        var parallel = clock.Elapsed;
        var report = Par.LastReport!;

        var identical = BitConverter.DoubleToInt64Bits(one.Mean) == BitConverter.DoubleToInt64Bits(all.Mean)
            && BitConverter.DoubleToInt64Bits(one.Variance) == BitConverter.DoubleToInt64Bits(all.Variance)
            && one.Count == all.Count;
        Console.WriteLine($"  1 worker   {one}   ({serial.TotalSeconds:F2} s)");
        Console.WriteLine($"  {report.Workers} workers  {all}   ({parallel.TotalSeconds:F2} s)");
        Console.WriteLine($"  bit-identical: {(identical ? "yes" : "NO")} (mean {all.Mean:R}, variance {all.Variance:R}); pi inside the CI: {(all.Lower <= Math.PI && Math.PI <= all.Upper ? "yes" : "no")}");
        Console.WriteLine($"  achieved speedup {serial / parallel:F2}x; last run: {report}");
        if (MachineLoad.Note(MachineLoad.OthersSeconds(load), parallel + serial) is { } note)
        {
            Console.WriteLine(note);
        }

        var png = Path.Combine(dir, "pi-convergence.png");
        all.PlotConvergence(png, 900, 500, title: $"pi: running estimate and 95% CI, seed 42", reference: Math.PI);
        Console.WriteLine($"  wrote      {png}");
        return identical;
    }
}
