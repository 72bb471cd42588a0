using System.Diagnostics;

using Parmap;
using Parmap.Plots;

namespace Parmap.Quickstart;

/// <summary>W3, the seed's "1000 x 1000 grid of two parameters passed to a time-consuming model" (see shared/workloads.md).</summary>
internal static class SeedGrid
{
    private const long ReferenceChecksum = 2681980046249612;

    /// <summary>The model: 3000 steps of the logistic map x = r x (1 - x) with r = 3 + a, from x = b.</summary>
    public static double Model(double a, double b)
    {
        var r = 3.0 + a;
        var x = b;
        for (var k = 0; k < 3000; k++)
        {
            x = r * x * (1.0 - x);
        }
        return x;
    }

    public static async Task<bool> RunAsync(int g, ParOptions options, string dir, CancellationToken cancellationToken)
    {
        Console.WriteLine($"W3: a {g} x {g} grid of the logistic map through Grid + Par.Map");

        // The one-liner: axes a_i = i / (G - 1) exactly, every point on every core, results that keep their axes.
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, g), Axis.Linspace("b", 0, 1, g));
        var load = MachineLoad.Sample();
        var progress = ConsoleProgress.ForTerminal("parallel");
        var clock = Stopwatch.StartNew();
        GridResult<double> surface = await Par.Map(grid, p => Model(p.Item1, p.Item2), options with { Progress = progress }, cancellationToken);
        var parallel = clock.Elapsed;
        progress?.Clear();
        var report = surface.Report!;

        var checksum = Checksum(surface.Values);
        var matches = g != 1000 || checksum == ReferenceChecksum;
        Console.WriteLine($"  checksum   {checksum}{(g == 1000 ? $" (reference {ReferenceChecksum}: {(matches ? "match" : "MISMATCH")})" : "")}");
        Console.WriteLine($"  x[{g / 4},{g / 3}]={surface.AtPositions(g / 4, g / 3):R}  x[{g / 2},{g / 7}]={surface.AtPositions(g / 2, g / 7):R}  x[{3 * g / 4},{2 * g / 3}]={surface.AtPositions(3 * g / 4, 2 * g / 3):R}");

        // The same work in a plain serial loop, for the achieved speedup (and as a second check of every value).
        var serialProgress = ConsoleProgress.ForTerminal("serial");
        clock.Restart();
        var serialSum = 0L;
        var identical = true;
        var shown = TimeSpan.Zero;
        for (var i = 0; i < g; i++)
        {
            if (serialProgress is not null && clock.Elapsed - shown > TimeSpan.FromMilliseconds(200))
            {
                shown = clock.Elapsed;
                serialProgress.Show($"{(long)i * g:N0}/{(long)g * g:N0} points, {shown.TotalSeconds:F1} s");
            }
            var a = (double)i / (g - 1);
            for (var j = 0; j < g; j++)
            {
                var x = Model(a, (double)j / (g - 1));
                serialSum += (long)(x * 4294967296.0);
                identical &= BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(surface.AtPositions(i, j));
            }
        }
        var serial = clock.Elapsed;
        serialProgress?.Clear();
        Console.WriteLine($"  parallel   {parallel.TotalSeconds:F2} s: {report}");
        var speedup = report.Resumed > 0
            ? $"no speedup to report: {report.Resumed:N0} of the items came from the journal"
            : $"achieved speedup {serial / parallel:F2}x on {report.Workers} workers";
        Console.WriteLine($"  serial     {serial.TotalSeconds:F2} s, same values: {(identical && serialSum == checksum ? "yes" : "NO")}; {speedup}");
        if (MachineLoad.Note(MachineLoad.OthersSeconds(load), parallel + serial) is { } note)
        {
            Console.WriteLine(note);
        }

        var csv = Path.Combine(dir, "surface.csv");
        var png = Path.Combine(dir, "surface.png");
        clock.Restart();
        surface.WriteCsv(csv);
        var csvTime = clock.Elapsed;
        clock.Restart();
        surface.PlotHeatmap(png, 900, 700, title: "logistic map after 3000 steps: x(a, b)", valueLabel: "x");
        Console.WriteLine($"  wrote      {csv} ({csvTime.TotalSeconds:F1} s), {png} ({clock.Elapsed.TotalSeconds:F1} s)");
        return matches && identical;
    }

    private static long Checksum(ReadOnlySpan<double> values)
    {
        var sum = 0L;
        foreach (var x in values)
        {
            sum += (long)(x * 4294967296.0);
        }
        return sum;
    }
}
