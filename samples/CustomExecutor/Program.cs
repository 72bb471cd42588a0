using Parmap;
using Parmap.Samples.CustomExecutor;

// A map, a grid sweep and a Monte Carlo run through an executor written outside Parmap, compared with the same runs on
// Parmap's own thread executor.
var custom = new LoggingThreadsOptions();
var mine = new ParOptions { Executor = custom, Workers = 2 };
var threads = new ParOptions { Executor = ExecutorOptions.Threads, Workers = 2 };

var xs = Enumerable.Range(0, 100_000).ToArray();
var a = await Par.Map(xs, x => Math.Sqrt(x) * 3, mine);
Console.WriteLine($"map:         {Par.LastReport}");
var b = await Par.Map(xs, x => Math.Sqrt(x) * 3, threads);

var grid = Grid.Of(Axis.Linspace("alpha", 0, 1, 200), Axis.Linspace("beta", 0, 1, 200));
var surfaceMine = await Par.Map(grid, p => Logistic(p.Item1, p.Item2), mine);
Console.WriteLine($"grid:        {surfaceMine.Report}");
var surfaceThreads = await Par.Map(grid, p => Logistic(p.Item1, p.Item2), threads);

var piMine = await MonteCarlo.Run(20_000, seed: 42, rng => Pi(rng), new MonteCarloOptions { ParOptions = mine });
Console.WriteLine($"monte carlo: {piMine}");
var piThreads = await MonteCarlo.Run(20_000, seed: 42, rng => Pi(rng), new MonteCarloOptions { ParOptions = threads });

var same = a.SequenceEqual(b) && surfaceMine.Values.SequenceEqual(surfaceThreads.Values) && piMine.Mean == piThreads.Mean && piMine.Variance == piThreads.Variance;
Console.WriteLine($"{custom.Counter.Batches:N0} batches of {custom.Counter.Items:N0} items ran on the custom executor; results equal to the thread executor's: {same}");
return same ? 0 : 1;

static double Logistic(double a, double b)
{
    var r = 3.0 + a;
    var x = b;
    for (var i = 0; i < 300; i++)
    {
        x = r * x * (1.0 - x);
    }
    return x;
}

static double Pi(Rng rng)
{
    var hits = 0;
    for (var i = 0; i < 100; i++)
    {
        var x = rng.Uniform();
        var y = rng.Uniform();
        hits += x * x + y * y < 1 ? 1 : 0;
    }
    return 4.0 * hits / 100;
}
