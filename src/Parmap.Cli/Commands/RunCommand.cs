using System.CommandLine;

using Parmap.Cli.Inputs;
using Parmap.Cli.Sweep;

using Spectre.Console;

namespace Parmap.Cli.Commands;

/// <summary><c>parmap run</c>: runs a program once per item of a grid or input list, on every core.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var grid = new Option<string[]>("--grid", "-g") { Description = "An input axis: name=linspace(start,stop,count), name=logspace(start,stop,count), name=range(start,stop[,step]), name=v1,v2,... or @file.csv (rows are items, columns are names). Repeat for every combination.", HelpName = "spec" };
        var zip = new Option<bool>("--zip") { Description = "Pair the inputs item by item instead of making every combination (they must have the same length)." };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Programs running at once (default: one per core).", HelpName = "N" };
        var capture = new Option<CaptureMode>("--capture") { Description = "What each program's standard output becomes in the results: text (column 'stdout'), number (column 'value'), json (an object whose fields become columns).", DefaultValueFactory = _ => CaptureMode.Text };
        var results = new Option<string?>("--results", "-o") { Description = "Write one row per item (inputs, captured output, exit code, seconds, error, stderr tail) to this .csv or .parquet file.", HelpName = "file" };
        var journal = new Option<string?>("--journal") { Description = "Record every finished item in this file (SQLite), so that a stopped run can go on with --resume.", HelpName = "file" };
        var resume = new Option<bool>("--resume") { Description = "Go on with the run recorded in --journal: finished items are not run again." };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "With --resume: run the items that failed before again too." };
        var retries = new Option<int>("--retries") { Description = "Run a failing item up to N more times before it counts as failed.", HelpName = "N" };
        var timeout = new Option<string?>("--timeout") { Description = "Kill an item's program (and everything it started) after this long: 500ms, 30s, 2m, 1h.", HelpName = "duration" };
        var halt = new Option<bool>("--halt-on-error") { Description = "Stop at the first failed item: kill the running programs and start no more." };
        var env = new Option<string[]>("--env", "-e") { Description = "Set an environment variable for each program, placeholders allowed: --env ALPHA={alpha}.", HelpName = "NAME=value" };
        var shell = new Option<bool>("--shell") { Description = "Run the command line through /bin/sh -c (pipes, redirections); values are single-quoted so they still arrive exactly." };
        var keepOrder = new Option<bool>("--keep-order", "-k") { Description = "Print the items' output in input order (by default as each item finishes)." };
        var output = new Option<string>("--output") { Description = "Print each item's stdout and stderr as one block when it ends: all, none, or auto (all unless --results is given).", DefaultValueFactory = _ => "auto", HelpName = "all|none|auto" };
        output.AcceptOnlyFromAmong("all", "none", "auto");
        var progress = new Option<string>("--progress") { Description = "bar (a live bar on standard error), lines (a plain line every --progress-interval), none, or auto (bar when standard output and error are a terminal, else lines).", DefaultValueFactory = _ => "auto", HelpName = "auto|bar|lines|none" };
        progress.AcceptOnlyFromAmong("auto", "bar", "lines", "none");
        var interval = new Option<string>("--progress-interval") { Description = "Time between two plain progress lines.", DefaultValueFactory = _ => "5s", HelpName = "duration" };
        var stderrLines = new Option<int>("--stderr-lines") { Description = "Lines of each item's standard error kept in the results.", DefaultValueFactory = _ => 5, HelpName = "N" };
        var cluster = new Option<string?>("--cluster") { Description = "Run the items on cluster nodes: this run writes DIR/cluster.json (and DIR/node.sh); start nodes with 'parmap node --join DIR/cluster.json'.", HelpName = "DIR" };
        var nodes = new Option<int>("--nodes") { Description = "With --cluster: nodes to wait for before starting (others may join during the run).", DefaultValueFactory = _ => 1, HelpName = "N" };
        var command = new Argument<string[]>("command") { Description = "The program and its arguments with {name}, {#} (item number) or {} placeholders, after '--'; then optionally '::: values' or ':::: file' input groups.", Arity = ArgumentArity.ZeroOrMore };
        var run = new Command("run", "Run a program once per item of a grid or input list, on every core, with progress, results, a journal to resume and no orphaned processes.")
        {
            grid, zip, jobs, capture, results, journal, resume, retryFailed, retries, timeout, halt, env, shell, keepOrder, output, progress, interval, stderrLines, cluster, nodes, command,
        };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var console = ErrorConsole.Create();
            SweepSettings settings;
            try
            {
                var journalPath = parse.GetValue(journal);
                var resuming = parse.GetValue(resume);
                if (resuming && journalPath is null)
                {
                    throw new UsageException("--resume needs the --journal file of the run to go on with.");
                }
                if (parse.GetValue(retryFailed) && !resuming)
                {
                    throw new UsageException("--retry-failed goes with --resume (it runs a journal's failed items again).");
                }
                if (journalPath is not null && File.Exists(journalPath) && !resuming)
                {
                    throw new UsageException($"the journal '{journalPath}' already exists. Add --resume to go on with that run, or remove the file (or choose another --journal) to start afresh.");
                }
                var gridSpecs = parse.GetValue(grid) ?? [];
                var (inputs, program) = InputSpecs.Read(gridSpecs, parse.GetValue(zip), parse.GetValue(command) ?? [], () => Console.In);
                if (parse.GetValue(zip) && inputs.Names.Length < 2)
                {
                    throw new UsageException("--zip pairs two or more inputs; there is only one.");
                }
                var envs = parse.GetValue(env) ?? [];
                var useShell = parse.GetValue(shell);
                var template = CommandTemplate.Create(program, envs, inputs.Names, useShell);
                if (!useShell && !template.ProgramVaries)
                {
                    _ = ProgramLocator.Resolve(template.Program);
                }
                var clusterDir = parse.GetValue(cluster);
                if (clusterDir is not null && parse.GetValue(jobs) is not null)
                {
                    throw new UsageException("--jobs does not apply with --cluster: each node runs as many items at once as it has cores ('parmap node --cores N' to change that).");
                }
                if (clusterDir is null && parse.GetResult(nodes) is { Implicit: false })
                {
                    throw new UsageException("--nodes goes with --cluster DIR.");
                }
                if (parse.GetValue(nodes) < 1)
                {
                    throw new UsageException("--nodes must be at least 1.");
                }
                int? j = clusterDir is null ? parse.GetValue(jobs) ?? Environment.ProcessorCount : null;
                if (j < 1)
                {
                    throw new UsageException($"--jobs must be at least 1, got {j}.");
                }
                if (parse.GetValue(retries) < 0)
                {
                    throw new UsageException("--retries must be 0 or more.");
                }
                var resultsPath = parse.GetValue(results);
                if (resultsPath is not null)
                {
                    ResultsTable.CheckWritable(resultsPath);
                }
                var timeoutText = parse.GetValue(timeout);
                var limit = timeoutText is null ? (TimeSpan?)null : Durations.Parse("--timeout", timeoutText);
                var mode = parse.GetValue(progress)!;
                var print = parse.GetValue(output) switch { "all" => true, "none" => false, _ => resultsPath is null };
                settings = new SweepSettings(
                    new RunSpec(program, envs, inputs.Names, useShell, parse.GetValue(capture), limit?.TotalSeconds, Math.Max(0, parse.GetValue(stderrLines))),
                    inputs, j, Executor(clusterDir, parse.GetValue(nodes), journalPath, resuming, parse.GetValue(retryFailed)), journalPath, parse.GetValue(retryFailed), parse.GetValue(retries), parse.GetValue(halt), parse.GetValue(keepOrder),
                    resultsPath, print,
                    // auto: a live bar only when both outputs are a terminal; piped or redirected output gets plain lines.
                    Live: mode == "bar" || mode == "auto" && !Console.IsErrorRedirected && !Console.IsOutputRedirected,
                    ProgressInterval: mode == "none" ? Timeout.InfiniteTimeSpan : Durations.Parse("--progress-interval", parse.GetValue(interval)!));
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync($"parmap run: {e.Message}");
                return 2;
            }
            try
            {
                return await SweepRun.RunAsync(settings, console, cancellationToken);
            }
            catch (JournalMismatchException e)
            {
                // The library's message speaks C# (ParOptions ...); here the function is the command line.
                await Console.Error.WriteLineAsync($"parmap run: the journal '{e.Path}' was written for another run (the program, its arguments, the inputs, --env, --shell, --capture or --timeout differ, or another build of parmap wrote it; {e.Matching:N0} of {e.Recorded:N0} recorded items match); nothing was run. Use another --journal, or remove this one to start afresh.");
                return 2;
            }
            catch (JournalException e)
            {
                await Console.Error.WriteLineAsync($"parmap run: {e.Message}");
                return 2;
            }
            catch (ParmapException e)
            {
                // The run could not go on (no cluster node came, all were lost ...): the message says why and what to do.
                await Console.Error.WriteLineAsync($"parmap run: {e.Message}");
                return 1;
            }
        });
        return run;
    }

    /// <summary>
    /// Threads, or the cluster: but a resumed run whose journal is complete has nothing to run, so it does not start a
    /// cluster driver (which would wait for nodes that nobody starts).
    /// </summary>
    private static ExecutorOptions Executor(string? clusterDir, int nodes, string? journal, bool resuming, bool retryFailed)
    {
        if (clusterDir is null)
        {
            return ExecutorOptions.Threads;
        }
        if (resuming && journal is not null && File.Exists(journal))
        {
            try
            {
                var recorded = Journal.Open(journal);
                if (recorded.TotalKnown && recorded.Pending == 0 && (recorded.Failed == 0 || !retryFailed))
                {
                    return ExecutorOptions.Threads;
                }
            }
            catch (JournalException)
            {
                // The run itself reports what is wrong with the journal.
            }
        }
        return ClusterSupport.Options(clusterDir, nodes);
    }
}
