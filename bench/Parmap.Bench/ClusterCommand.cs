using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

using Parmap;
using Parmap.Bench.Workloads;
using Parmap.Cluster;

namespace Parmap.Bench;

/// <summary>
/// <c>cluster [--repeats R]</c>: the cluster executor on this machine, side by side with the process executor. Nodes are
/// this benchmark started in node mode (the job directory's node.sh), one core each, two of them: as many workers as the
/// process executor has. Prints JSON lines: W2 (2,000 items of ~1 ms) on the cluster against worker processes (median of
/// R, each after a warm-up map); the round trip of one batch (BatchSize 1, empty items); and a node killed at about a
/// third of a longer map: its wall time against what losing the node's share would cost by itself.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var repeats = new Option<int>("--repeats") { Description = "Timed maps per executor.", DefaultValueFactory = _ => 5 };
        var command = new Command("cluster", "The cluster executor (2 local nodes) against worker processes on W2, the per-batch round trip, and the cost of a node kill.") { repeats };
        command.SetAction(parse => Run(parse.GetValue(repeats)));
        return command;
    }

    private static void Run(int repeats)
    {
        var root = Directory.CreateTempSubdirectory("parmap-bench-cluster-").FullName;
        try
        {
            ColdFirstMap(root, 3);
            W2(Path.Combine(root, "w2"), repeats);
            RoundTrip(Path.Combine(root, "rt"));
            NodeKill(Path.Combine(root, "kill"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// A program's first map, as a user meets it: a new driver (a new job directory and Akka system) with 2 node processes
    /// started when the map starts (they wait for its cluster.json, join, compile), against a first map on 2 fresh worker
    /// processes. Interleaved, medians. The bench process itself has run neither executor before the first repetition.
    /// </summary>
    private static void ColdFirstMap(string root, int repeats)
    {
        const long Expected = 4221833748893;
        var inputs = Enumerable.Range(0, 2_000).ToArray();
        var onCluster = new List<double>();
        var onProcesses = new List<double>();
        for (var k = 0; k < repeats; k++)
        {
            var job = Path.Combine(root, $"cold{k}");
            var watch = Stopwatch.StartNew();
            using (new Nodes(job, 2))
            {
                var sum = Par.Map(inputs, Kernels.Medium, new ParOptions { Executor = new ClusterOptions { JobDirectory = job, ExpectedNodes = 2 } }).GetAwaiter().GetResult().Sum();
                onCluster.Add(sum == Expected ? watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"W2 checksum {sum}"));
            }
            watch.Restart();
            var local = Par.Map(inputs, Kernels.Medium, new ParOptions { Executor = ExecutorOptions.Processes, Workers = 2 }).GetAwaiter().GetResult().Sum();
            onProcesses.Add(local == Expected ? watch.Elapsed.TotalSeconds : throw new InvalidOperationException($"W2 checksum {local}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first map (cold): W2 on a new driver + 2 fresh nodes {Median(onCluster):F2} s (runs {string.Join(", ", onCluster.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}) vs 2 fresh worker processes {Median(onProcesses):F2} s (runs {string.Join(", ", onProcesses.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}): {Median(onProcesses) / Median(onCluster):F2}x"));
    }

    private static void W2(string job, int repeats)
    {
        const long Expected = 4221833748893;
        var inputs = Enumerable.Range(0, 2_000).ToArray();
        using var nodes = new Nodes(job, 2);
        var cluster = new ParOptions { Executor = new ClusterOptions { JobDirectory = job, ExpectedNodes = 2 } };
        using var pool = Pool.Start(new ParOptions { Executor = ExecutorOptions.Processes, Workers = 2 });
        var processes = pool.Options;
        double Time(ParOptions options)
        {
            var watch = Stopwatch.StartNew();
            var sum = Par.Map(inputs, Kernels.Medium, options).GetAwaiter().GetResult().Sum();
            var seconds = watch.Elapsed.TotalSeconds;
            return sum == Expected ? seconds : throw new InvalidOperationException($"W2 checksum {sum}, expected {Expected}");
        }
        for (var k = 0; k < 3; k++)
        {
            // Warm-up: nodes joined; every process compiled the kernel and Parmap's paths to their last tier.
            _ = Time(cluster);
            _ = Time(processes);
        }
        var onCluster = new List<double>();
        var onProcesses = new List<double>();
        var idleNodeCpu = TimeSpan.Zero;
        var idleWall = 0.0;
        for (var k = 0; k < repeats; k++)
        {
            onCluster.Add(Time(cluster));
            var cpu = nodes.CpuTime();
            onProcesses.Add(Time(processes));
            idleNodeCpu += nodes.CpuTime() - cpu;
            idleWall += onProcesses[^1];
        }
        var serial = Stopwatch.StartNew();
        var serialSum = inputs.Sum(Kernels.Medium);
        var serialSeconds = serial.Elapsed.TotalSeconds;
        var c = Median(onCluster);
        var p = Median(onProcesses);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"cluster-w2\",\"nodes\":2,\"cores_per_node\":1,\"repeats\":{repeats},\"cluster_s\":{c:F3},\"processes_s\":{p:F3},\"serial_s\":{serialSeconds:F3},\"cluster_vs_processes\":{p / c:F3},\"cluster_speedup\":{serialSeconds / c:F2},\"idle_nodes_cpu_share\":{idleNodeCpu.TotalSeconds / idleWall:F3},\"checksum_ok\":{(serialSum == Expected ? "true" : "false")}}}"));
        Console.WriteLine("report " + Par.LastReport);
    }

    private static void RoundTrip(string job)
    {
        using var nodes = new Nodes(job, 2);
        var options = new ParOptions { Executor = new ClusterOptions { JobDirectory = job, ExpectedNodes = 2 }, BatchSize = 1 };
        var inputs = Enumerable.Range(0, 4_000).ToArray();
        _ = Par.Map(inputs, static x => x, options).GetAwaiter().GetResult();
        var driverCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var nodeCpu = nodes.CpuTime();
        var watch = Stopwatch.StartNew();
        _ = Par.Map(inputs, static x => x, options).GetAwaiter().GetResult();
        var seconds = watch.Elapsed.TotalSeconds;
        driverCpu = Process.GetCurrentProcess().TotalProcessorTime - driverCpu;
        nodeCpu = nodes.CpuTime() - nodeCpu;
        var report = Par.LastReport!;
        // Two node cores kept busy by 4 lanes: a batch's round trip is the wall time per batch on one core.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"cluster-roundtrip\",\"batches\":{report.Batches},\"wall_s\":{seconds:F3},\"batches_per_s\":{report.Batches / seconds:F0},\"us_per_batch_per_core\":{seconds * 2 / report.Batches * 1e6:F0},\"driver_cpu_us_per_batch\":{driverCpu.TotalMicroseconds / report.Batches:F0},\"node_cpu_us_per_batch\":{nodeCpu.TotalMicroseconds / report.Batches:F0}}}"));
    }

    private static void NodeKill(string job)
    {
        // Two one-core nodes; one is killed at a third of the run. Had the loss cost nothing but the node's share, the
        // survivor would run everything left after the kill alone: ideal = t_kill + 2 (T - t_kill), with T the same map
        // without a kill. The kill's cost beyond the node's share is the run's wall time less that.
        var inputs = Enumerable.Range(0, 6_000).ToArray();
        var options = new ParOptions { Executor = new ClusterOptions { JobDirectory = job, ExpectedNodes = 2 } };
        using var nodes = new Nodes(job, 2);
        for (var k = 0; k < 3; k++)
        {
            _ = Par.Map(inputs.Take(1000), Kernels.Medium, options).GetAwaiter().GetResult(); // warm-up
        }
        var watch = Stopwatch.StartNew();
        var expected = Par.Map(inputs, Kernels.Medium, options).GetAwaiter().GetResult().Sum();
        var whole = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var run = Par.Map(inputs, Kernels.Medium, options);
#pragma warning disable RS0030 // a benchmark waits on the wall clock
        Thread.Sleep(TimeSpan.FromSeconds(whole / 3));
#pragma warning restore RS0030
        var killedAfter = watch.Elapsed.TotalSeconds;
        nodes.KillOne();
        var sum = run.GetAwaiter().GetResult().Sum();
        var withKill = watch.Elapsed.TotalSeconds;
        var ideal = killedAfter + (2 * Math.Max(0, whole - killedAfter));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"cluster-nodekill\",\"items\":{inputs.Length},\"nodes\":2,\"no_kill_s\":{whole:F3},\"killed_after_s\":{killedAfter:F3},\"with_kill_s\":{withKill:F3},\"ideal_after_loss_s\":{ideal:F3},\"kill_cost_s\":{withKill - ideal:F3},\"results_ok\":{(sum == expected ? "true" : "false")}}}"));
        Console.WriteLine("report " + Par.LastReport);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Node processes of this benchmark, started once the driver has written the job directory (the first map writes it).</summary>
    private sealed class Nodes : IDisposable
    {
        private readonly string _job;
        private readonly List<Process> _processes = [];

        public Nodes(string job, int count)
        {
            _job = job;
            _ = Task.Run(() =>
            {
                for (var k = 0; k < count; k++)
                {
                    _ = Add();
                }
            });
        }

        public Process Add()
        {
            var script = Path.Combine(_job, "node.sh");
            while (!File.Exists(script))
            {
#pragma warning disable RS0030
                Thread.Sleep(20);
#pragma warning restore RS0030
            }
            var start = new ProcessStartInfo("sh", [script]) { UseShellExecute = false, RedirectStandardError = true };
            start.Environment["PARMAP_NODE_CORES"] = "1";
            var process = Process.Start(start)!;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            lock (_processes)
            {
                _processes.Add(process);
            }
            return process;
        }

        /// <summary>CPU time the nodes have used so far.</summary>
        public TimeSpan CpuTime()
        {
            lock (_processes)
            {
                return _processes.Where(p => !p.HasExited).Aggregate(TimeSpan.Zero, (sum, p) =>
                {
                    p.Refresh();
                    return sum + p.TotalProcessorTime;
                });
            }
        }

        public void KillOne()
        {
            lock (_processes)
            {
                _processes[^1].Kill();
            }
        }

        public void Dispose()
        {
            lock (_processes)
            {
                foreach (var p in _processes)
                {
                    if (!p.HasExited)
                    {
                        p.Kill();
                    }
                    p.Dispose();
                }
            }
        }
    }
}
