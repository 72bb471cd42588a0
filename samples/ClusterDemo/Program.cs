using System.Globalization;

using Parmap;
using Parmap.Cluster;

// The driver: a grid sweep and a Monte Carlo estimate on the nodes of a cluster. Usage:
//   ClusterDemo --job DIR [--nodes N] [--host ADDRESS] [--port P]
// Nodes are this same program started with PARMAP_CLUSTER=DIR/cluster.json (DIR/node.sh does that); see the README.
string Arg(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
var cluster = new ClusterOptions
{
    JobDirectory = Arg("--job", "parmap-job"),
    ExpectedNodes = int.Parse(Arg("--nodes", "1"), CultureInfo.InvariantCulture),
    Host = Arg("--host", "127.0.0.1"),
    Port = int.Parse(Arg("--port", "0"), CultureInfo.InvariantCulture),
};
var options = new ParOptions { Executor = cluster };
Console.WriteLine($"Driver: job directory {Path.GetFullPath(cluster.JobDirectory)}; waiting for {cluster.ExpectedNodes} node(s) (start them with: sh {Path.Combine(Path.GetFullPath(cluster.JobDirectory), "node.sh")})");

// A 200 x 200 grid of the logistic map (the seed's model), on the cluster.
var grid = Grid.Of(Axis.Linspace("a", 0, 1, 200), Axis.Linspace("b", 0, 1, 200));
GridResult<double> surface = await Par.Map(grid, p => Logistic(p.Item1, p.Item2), options);
Console.WriteLine($"grid: {surface.Count:N0} points; {Par.LastReport}");

// Monte Carlo, seeded: the same bits as on this machine alone.
var onCluster = await MonteCarlo.Run(400_000, 42, rng => rng.Uniform() * rng.Uniform() < 0.25 ? 1.0 : 0.0, new MonteCarloOptions { ParOptions = options });
var local = await MonteCarlo.Run(400_000, 42, rng => rng.Uniform() * rng.Uniform() < 0.25 ? 1.0 : 0.0);
Console.WriteLine($"monte carlo: {onCluster}; identical to the local run: {BitConverter.DoubleToInt64Bits(onCluster.Mean) == BitConverter.DoubleToInt64Bits(local.Mean)}");
return 0;

static double Logistic(double a, double b)
{
    var r = 3.0 + a;
    var x = b;
    for (var k = 0; k < 3000; k++)
    {
        x = r * x * (1.0 - x);
    }
    return x;
}
