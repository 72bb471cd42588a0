using System.Globalization;

using Parmap;
using Parmap.Cluster;

// The cluster tests' application: the driver (this program's Main) and its nodes (the same program started with
// PARMAP_CLUSTER, as the job directory's node.sh does; the startup hook makes it a node before Main runs).
//   --job DIR [--count N] [--nodes K] [--sleep-ms S] [--mode map|mc|journal] [--journal PATH] [--timeout S]
// Each item appends its input to $PARMAP_TEST_LOG/<pid> when that is set (one file per process: who ran what).
var args2 = args.ToList();
string Arg(string name, string fallback) => args2.IndexOf(name) is var i and >= 0 ? args2[i + 1] : fallback;
var count = int.Parse(Arg("--count", "200"), CultureInfo.InvariantCulture);
var sleepMs = int.Parse(Arg("--sleep-ms", "2"), CultureInfo.InvariantCulture);
var cluster = new ClusterOptions
{
    JobDirectory = Arg("--job", "job"),
    ExpectedNodes = int.Parse(Arg("--nodes", "1"), CultureInfo.InvariantCulture),
    NodeTimeout = TimeSpan.FromSeconds(double.Parse(Arg("--timeout", "60"), CultureInfo.InvariantCulture)),
};
var options = new ParOptions { Executor = cluster };
try
{
    switch (Arg("--mode", "map"))
    {
        case "map":
            {
                var results = await Par.MapOutcomes(Enumerable.Range(0, count), x => Work.Run(x, sleepMs), options);
                var sum = results.Outcomes.Where(o => o.Succeeded).Sum(o => o.Value);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"result {results.Report.Succeeded} {results.Failures.Count} {sum}"));
                Console.WriteLine("report " + results.Report);
                // Advice for the next map on this cluster: predicted with the nodes' cores.
                var advice = await Par.Advise(Enumerable.Range(0, count), x => Work.Run(x, sleepMs), options, TimeSpan.FromMilliseconds(200));
                Console.WriteLine("advice " + advice.ToString().ReplaceLineEndings(" "));
                break;
            }
        case "mc":
            {
                var onCluster = await MonteCarlo.Run(count, 42, rng => rng.Uniform() * rng.Normal(), new MonteCarloOptions { ParOptions = options });
                var local = await MonteCarlo.Run(count, 42, rng => rng.Uniform() * rng.Normal());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mc {BitConverter.DoubleToInt64Bits(onCluster.Mean):X} {BitConverter.DoubleToInt64Bits(local.Mean):X}"));
                break;
            }
        case "cancel":
            {
                // Cancelled while the nodes run: the call throws once every node stopped its batch; nothing runs after that.
                using var cts = new CancellationTokenSource();
                var cancelAt = int.Parse(Arg("--cancel-at", "200"), CultureInfo.InvariantCulture);
                var cancelling = options with
                {
                    Progress = new Progress<ProgressInfo>(p =>
                    {
                        if (p.Done >= cancelAt)
                        {
                            cts.Cancel();
                        }
                    }),
                    ProgressInterval = TimeSpan.FromMilliseconds(50),
                };
                var log = Arg("--log", "");
                int Executed() => Directory.GetFiles(log).Sum(f => File.ReadAllLines(f).Length);
                try
                {
                    _ = await Par.Map(Enumerable.Range(0, count), x => Work.Run(x, sleepMs), cancelling, cts.Token);
                    Console.WriteLine("not cancelled");
                }
                catch (OperationCanceledException)
                {
                    var atThrow = Executed();
                    Thread.Sleep(1500);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cancelled {atThrow} {Executed()}"));
                }
                break;
            }
        case "journal":
            {
                var local = args2.Contains("--local");
                var journaled = (local ? new ParOptions() : options) with { Journal = Arg("--journal", "j.db") };
                var values = await Par.Map(Enumerable.Range(0, count), x => Work.Run(x, sleepMs), journaled);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"result {values.Length} 0 {values.Sum()}"));
                Console.WriteLine("report " + Par.LastReport);
                break;
            }
    }
    return 0;
}
catch (ClusterException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}

internal static class Work
{
    public static long Run(int x, int sleepMs)
    {
        if (Environment.GetEnvironmentVariable("PARMAP_TEST_LOG") is { Length: > 0 } log)
        {
            File.AppendAllText(Path.Combine(log, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)), x.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        Thread.Sleep(sleepMs);
        return (long)x * x;
    }
}
