// Parmap quickstart: the seed's two workloads, a 1000 x 1000 parameter grid and 100,000 Monte Carlo trials,
// each a one-liner, checked against references and timed against a serial run.
//
//   dotnet run -c Release --project samples/Quickstart [-- --workers N] [--processes] [--journal PATH] [--out DIR]
using System.CommandLine;

using Parmap;
using Parmap.Quickstart;

var workers = new Option<int?>("--workers") { Description = "Workers to run on (default: one per core)." };
workers.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int?>() is < 1)
    {
        result.AddError("--workers must be at least 1.");
    }
});
var processes = new Option<bool>("--processes") { Description = "Run items in worker processes instead of threads." };
var journal = new Option<string?>("--journal") { Description = "Record the grid sweep's finished points in this journal file (SQLite); a re-run (or a run after Ctrl-C or a crash) skips them." };
var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write surface.csv, surface.png and pi-convergence.png into (created if missing).", DefaultValueFactory = _ => new DirectoryInfo("parmap-demo-output") };
var gridSize = new Option<int>("--grid") { Description = "Points per grid axis (W3 uses 1000).", DefaultValueFactory = _ => 1000 };
var trials = new Option<long>("--trials") { Description = "Monte Carlo trials.", DefaultValueFactory = _ => 100_000 };

var root = new RootCommand("Parmap quickstart: a 1000 x 1000 grid (W3) and 100,000 Monte Carlo trials of pi on every core.")
{
    workers, processes, journal, output, gridSize, trials,
};
root.SetAction((parse, cancellationToken) => QuickstartDemo.RunAsync(parse.GetValue(workers), parse.GetValue(processes), parse.GetValue(journal),
    parse.GetValue(output)!, parse.GetValue(gridSize), parse.GetValue(trials), cancellationToken));
var parsed = root.Parse(args);
// With a journal, Parmap handles Ctrl-C itself (finish the running items, save, say how to resume); System.CommandLine
// would instead cancel the run and end the process after 2 s.
var journaled = parsed.GetValue(journal) is not null;
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = journaled ? null : TimeSpan.FromSeconds(2) });
