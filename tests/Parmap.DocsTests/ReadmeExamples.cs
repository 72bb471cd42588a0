using System.Diagnostics;

using Parmap.Cluster;
using Parmap.Plots;
using Parmap.Samples.CustomExecutor;

namespace Parmap.DocsTests;

/// <summary>
/// The README's code blocks, verbatim between the "README block N" markers (ReadmeTests checks that they are the
/// README's text), with what they assume defined around them: inputs, a model, files. Each runs in a fresh directory.
/// </summary>
internal static class ReadmeExamples
{
    public static async Task ApiTour(CancellationToken cancellationToken)
    {
        double[] xs = [.. Enumerable.Range(0, 2_000).Select(i => i / 100.0)];
        string[] paths = [.. Enumerable.Range(0, 3).Select(i => $"input{i}.txt")];
        foreach (var path in paths)
        {
            await File.WriteAllTextAsync(path, $"text of {path}", cancellationToken);
        }
        Func<double, double> f = x => x + 1;
        Func<double, double> g = x => x * 2;

        // README block 0
        // Any sequence, every core, results in input order.
        double[] ys = await Par.Map(xs, x => Model(x));
        Console.WriteLine(Par.LastReport);
        // 1,000,000 items in 2.701 s on 2 workers (threads): parallelism 1.98 of 2 (items on a CPU at once on average; a speedup
        // needs a serial baseline: Par.Advise measures one); batches of ~383 (max 412)

        // Not async? The synchronous twin.
        double[] zs = Par.MapSync(xs, x => Model(x));

        // Async functions, and functions that take the run's cancellation token, work the same way.
        string[] texts = await Par.Map(paths, async (path, ct) => await File.ReadAllTextAsync(path, ct),
                                       new ParOptions { Workers = 16 }, cancellationToken);

        // Options are an immutable record; every property has a default.
        var options = new ParOptions
        {
            Workers = 8,                        // default: one per core
            BatchSize = null,                   // default: measured automatically (see below)
            Retries = 2,                        // transient failures are tried again
            RetryOn = e => e is IOException,    // default: every exception but cancellation
            ErrorPolicy = ErrorPolicy.Collect,  // default Stop: the first failure stops the run
            Progress = new Progress<ProgressInfo>(p => Console.Write($"\r{p}")),  // done, failed, total, items/s, ETA
        };

        // Every item's value or error, and this run's own report.
        MapResult<double> result = await Par.MapOutcomes(xs, x => Model(x), options);
        foreach (var failure in result.Failures)
            Console.WriteLine($"input {failure.Item} (#{failure.Index}) failed: {failure.InnerException}");
        Console.WriteLine($"parallelism {result.Report.Parallelism:F2}, speedup {result.Report.Speedup?.ToString("F2") ?? "(no baseline)"}");

        // Streams: the input is read lazily, at most MaxInFlight items ahead of the reader, so endless inputs work
        // and memory stays bounded. In input order (default) or as completed.
        await foreach (var y in Par.Stream(ReadHugeFile(), line => Parse(line)))
            Console.WriteLine(y);
        await foreach (var o in Par.StreamOutcomes(xs, f, new ParOptions { Order = ResultOrder.Completion }))
            Console.WriteLine(o.Succeeded ? $"#{o.Index}: {o.Value}" : $"#{o.Index} failed: {o.Error!.Message}");

        // Should I parallelize at all? Measured on a sample of the inputs, not guessed. The measured per-item time is also the
        // serial baseline against which later runs of this function report their speedup.
        Advice advice = await Par.Advise(xs, x => Model(x));
        Console.WriteLine(advice);
        // Worth it: 4.9 us per item (timed on 64 inputs), 1,000,000 inputs: serial ~4.9 s, on 2 threads ~2.5 s (predicted speedup 1.99x, saves 2.4 s).

        // A pool keeps its own workers until you dispose it; its options name it as their executor. (Without one, maps on
        // worker processes already keep their workers warm for the next map: ProcessOptions.ReuseWorkers.)
        await using var pool = Pool.Start(new ParOptions { Workers = 4 });
        var a = await pool.Map(xs, f);
        var b = await Par.MapOutcomes(xs, g, pool.Options);
        // end README block 0

        Assert.Equal(xs.Select(x => Model(x)), ys);
        Assert.Equal(ys, zs);
        Assert.Equal(paths.Select(p => $"text of {p}"), texts);
        Assert.Equal(ys, result.Values());
        Assert.NotNull(advice);
        Assert.Equal(xs.Select(f), a);
        Assert.Equal(xs.Select(g), b.Values());
    }

    public static async Task GridsAndMonteCarlo()
    {
        // README block 1
        // The seed's grid: 1,000,000 model runs; the result knows its axes.
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 1000), Axis.Linspace("beta", 0, 1, 1000));
        GridResult<double> surface = await Par.Map(grid, p => Model(p.Item1, p.Item2));   // or p.Get<double>("alpha"), or var (a, b) = p
        double x = surface.AtNearest(0.25, 0.5);   // the nearest grid point; At(...) compares exactly, AtPositions(250, 499) by position
        var row = surface.SliceNearest("alpha", 0.5);   // fix one axis at its value nearest 0.5 (Slice: exact, SliceAt: position)
        surface.WriteCsv("surface.csv");           // alpha,beta,value (records flatten to one column per field); also WriteParquet
        var back = GridResult.ReadCsv<double>("surface.csv");
        surface.PlotHeatmap("surface.png");        // Parmap.Plots (ScottPlot): labelled axes and a colour bar

        // Monte Carlo: trial t's random stream comes from (seed, t) only, so the answer is bit-identical on 1 or 64 cores.
        var pi = await MonteCarlo.Run(trials: 100_000, seed: 42, rng => EstimatePi(rng, 1000),
                                      new MonteCarloOptions { TargetStandardError = 1e-4 });   // optional early stop
        Console.WriteLine(pi);                     // 3.1417 ± 0.0003 (95% CI), 100000 trials
        pi.PlotConvergence("pi-convergence.png", reference: Math.PI);
        // end README block 1

        Assert.Equal(surface.AtPositions(250, 499), x);
        Assert.Equal(1000, row.Count);
        Assert.Equal(surface.Values.ToArray(), back.Values.ToArray());
        Assert.True(new FileInfo("surface.png").Length > 0);
        Assert.InRange(pi.Mean, 3.13, 3.15);
        Assert.StartsWith("3.14", pi.ToString(), StringComparison.Ordinal);
        Assert.True(new FileInfo("pi-convergence.png").Length > 0);
    }

    public static async Task ThreadsOrProcesses()
    {
        double[] xs = [.. Enumerable.Range(0, 200).Select(i => (double)i)];
        var table = new[] { 1.0, 2.0, 3.0 };
        var scale = 0.5;

        // README block 2
        var processes = new ParOptions { Executor = ExecutorOptions.Processes };   // the default is ExecutorOptions.Threads
        var options = new ParOptions
        {
            Executor = new ProcessOptions                // the process executor's own settings live in its options
            {
                ItemTimeout = TimeSpan.FromMinutes(2),   // kills just the stuck item's worker
                RecycleAfterItems = 1000,                // restart a worker after N items (leaky native code)
                RecycleAboveMemory = 2L << 30,           // ... or above 2 GiB resident memory, between batches
                WorkerInitializer = LoadTable,           // once per worker, before its first item
            },
        };
        double[] ys = await Par.Map(xs, x => Model(x, table, scale), options);   // lambdas with captures just work
        await using var pool = Pool.Start(options);                             // reuse warm workers across maps
        // end README block 2

        Assert.Equal(xs.Select(x => Model(x, table, scale)), ys);
        Assert.Equal(ys, await pool.Map(xs, x => Model(x, table, scale)));
        Assert.Equal("processes", processes.Executor.Name);
    }

    public static async Task JournalExample()
    {
        var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 30), Axis.Linspace("beta", 0, 1, 20));

        // README block 3
        // A journal makes a long run resumable: Ctrl-C, kill -9, a reboot or a full disk lose at most the last ~0.25 s of work.
        var options = new ParOptions { Journal = "sweep.db" };
        GridResult<double> surface = await Par.Map(grid, p => Model(p.Item1, p.Item2), options);
        // Run the same line again after a stop: recorded items are not recomputed; the result is complete and in order.

        var journal = Journal.Open("sweep.db");   // read-only, works during a run
        Console.WriteLine(journal);              // done / failed / pending, runs with pid and times, failures
        journal.ExportCsv("sweep.csv");          // index, status, one column per grid axis (or input.*), value.*, error
        journal.ExportParquet("sweep.parquet");  // the same, typed; a failed item's value is null
        // end README block 3

        Assert.Equal(600, journal.Done);
        Assert.True(journal.IsComplete);
        Assert.Equal(601, File.ReadAllLines("sweep.csv").Length);
        Assert.True(new FileInfo("sweep.parquet").Length > 0);
        var again = await Par.Map(grid, p => Model(p.Item1, p.Item2), options);
        Assert.Equal(600, again.Report!.Resumed);
        Assert.Equal(surface.Values.ToArray(), again.Values.ToArray());
    }

    /// <summary>The example in the XML documentation of <see cref="Parmap.Journal"/>.</summary>
    public static async Task JournalDocumentation()
    {
        await Par.Map(Enumerable.Range(0, 50).ToArray(), i => i == 7 ? throw new InvalidDataException("seven") : i * 2,
            new ParOptions { Journal = "sweep.db", ErrorPolicy = ErrorPolicy.Collect }).ContinueWith(_ => { }, TaskScheduler.Default);

        // Journal.cs block
        var journal = Journal.Open("sweep.db");
        Console.WriteLine(journal);                 // summary
        foreach (var f in journal.Failures) Console.WriteLine($"{f.Index} {f.Input}: {f.Message}");
        journal.ExportCsv("sweep.csv");
        // end Journal.cs block

        Assert.Equal(49, journal.Done);
        Assert.Equal(7, Assert.Single(journal.Failures).Index);
        Assert.Equal(51, File.ReadAllLines("sweep.csv").Length);
    }

    public static async Task ClusterExample()
    {
        var grid = Grid.Of(Axis.Linspace("a", 0, 1, 20), Axis.Linspace("b", 0, 1, 20));
        // The nodes: this test process's own command line in node mode, started by the job directory's node.sh once the
        // driver (the example's first map) has written it.
        var nodes = Task.Run(() =>
        {
            while (!File.Exists("parmap-job/node.sh"))
            {
                Thread.Sleep(20);
            }
            Thread.Sleep(100);
            return Enumerable.Range(0, 2).Select(_ =>
            {
                var start = new ProcessStartInfo("sh", [Path.GetFullPath("parmap-job/node.sh")]) { RedirectStandardError = true, RedirectStandardOutput = true };
                start.Environment["PARMAP_NODE_CORES"] = "1";
                return Process.Start(start)!;
            }).ToList();
        });
        try
        {
            // README block 4
            // Waits for 2 nodes (this same program started in node mode: parmap-job/node.sh), then runs on them.
            var options = new ParOptions { Executor = new ClusterOptions { JobDirectory = "parmap-job", ExpectedNodes = 2 } };
            GridResult<double> surface = await Par.Map(grid, p => Model(p.Item1, p.Item2), options);
            Console.WriteLine(Par.LastReport);   // "... (cluster): ...; items per worker: node 1 (host-a pid 4242) 200, node 2 ..."
            // end README block 4

            Assert.Equal(400, surface.Count);
            Assert.Equal(Model(1.0, 1.0), surface[399]);
            Assert.Contains("items per worker: node ", Par.LastReport!.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var node in await nodes)
            {
                node.Kill();
                node.Dispose();
            }
        }
    }

    public static async Task CustomExecutorExample()
    {
        double[] xs = [.. Enumerable.Range(0, 100).Select(i => (double)i)];

        // README block 5
        var options = new ParOptions { Executor = new LoggingThreadsOptions { Log = Console.Out } };
        double[] ys = await Par.Map(xs, x => Model(x), options);   // report: "... on 2 workers (logging-threads) ..."
        // end README block 5

        Assert.Equal(xs.Select(x => Model(x)), ys);
        Assert.Contains("(logging-threads)", Par.LastReport!.ToString(), StringComparison.Ordinal);
    }

    private static double Model(double x) => Math.Sqrt(x) + 1;

    private static double Model(double a, double b) => (a * 1000) + b;

    private static double Model(double x, double[] table, double scale) => (x * scale) + table[(int)x % table.Length];

    private static void LoadTable()
    {
        // A worker initializer: loads what every item of this worker needs, once.
    }

    private static double EstimatePi(Rng rng, int samples)
    {
        var hits = 0;
        for (var k = 0; k < samples; k++)
        {
            var x = rng.Uniform();
            var y = rng.Uniform();
            hits += (x * x) + (y * y) < 1 ? 1 : 0;
        }
        return 4.0 * hits / samples;
    }

    private static IEnumerable<string> ReadHugeFile()
    {
        for (var i = 0; i < 1_000; i++)
        {
            yield return $"line {i}";
        }
    }

    private static int Parse(string line) => int.Parse(line.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
}
