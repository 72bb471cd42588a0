using System.CommandLine;

using Parmap.Quickstart;

namespace Parmap.Cli.Commands;

/// <summary><c>parmap demo</c>: the seed's grid and Monte Carlo on every core with their speedup, the Quickstart sample itself.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var workers = new Option<int?>("--workers") { Description = "Workers to run on (default: one per core)." };
        var processes = new Option<bool>("--processes") { Description = "Run items in worker processes instead of threads." };
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write surface.csv, surface.png and pi-convergence.png into (created if missing).", DefaultValueFactory = _ => new DirectoryInfo("parmap-demo-output") };
        var gridSize = new Option<int>("--grid") { Description = "Points per grid axis (W3 uses 1000).", DefaultValueFactory = _ => 1000 };
        var trials = new Option<long>("--trials") { Description = "Monte Carlo trials.", DefaultValueFactory = _ => 100_000 };
        var demo = new Command("demo", "The seed's workloads on every core: a 1000 x 1000 grid and 100,000 Monte Carlo trials, checked against references and timed against a serial run.")
        {
            workers, processes, output, gridSize, trials,
        };
        demo.SetAction(async (parse, cancellationToken) =>
        {
            if (Environment.GetEnvironmentVariable(TieringVariable) != "0")
            {
                return await RunFullyOptimizedAsync(cancellationToken);
            }
            return await QuickstartDemo.RunAsync(parse.GetValue(workers), parse.GetValue(processes), journal: null,
                parse.GetValue(output)!, parse.GetValue(gridSize), parse.GetValue(trials), cancellationToken);
        });
        return demo;
    }

    private const string TieringVariable = "DOTNET_TieredCompilation";

    /// <summary>
    /// Runs this same command again with tiered compilation off (as the Quickstart sample is built): otherwise the
    /// serial and parallel timings would compare code at different tiers (the first run's early code is slower), and
    /// the speedup would be overstated. One extra start of parmap (~0.1 s).
    /// </summary>
    private static async Task<int> RunFullyOptimizedAsync(CancellationToken cancellationToken)
    {
        var host = Parmap.Executors.Processes.WorkerLaunch.HostArguments();
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        foreach (var a in host.Skip(1).Concat(Environment.GetCommandLineArgs().Skip(1)))
        {
            start.ArgumentList.Add(a);
        }
        start.Environment[TieringVariable] = "0";
        using var child = System.Diagnostics.Process.Start(start)!;
        await child.WaitForExitAsync(cancellationToken);
        return child.ExitCode;
    }
}
