using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

using Parmap.Bench.Workloads;

namespace Parmap.Bench;

/// <summary>
/// <c>smallmaps [--calls N] [--items M]</c>: a program that maps inside a loop (time steps, optimizer iterations): N calls
/// of M items, at ~0.5 us and at ~50 us per item, per call, side by side: serial, <c>Parallel.For</c>, PLINQ, and
/// <c>Par.Map</c> on threads (and on worker processes, which a call reuses warm). Implementations are interleaved in
/// rounds of calls; medians of the per-round mean time per call.
/// </summary>
internal static class SmallMapsCommand
{
    private const int Rounds = 10;

    public static Command Create()
    {
        var calls = new Option<int>("--calls") { Description = "Calls per implementation and item size.", DefaultValueFactory = _ => 10_000 };
        var items = new Option<int>("--items") { Description = "Items per call.", DefaultValueFactory = _ => 100 };
        var command = new Command("smallmaps", "Many small maps called in a loop: time per call, Parmap vs Parallel.For vs PLINQ vs serial.") { calls, items };
        command.SetAction(async parse =>
        {
            var n = parse.GetValue(calls);
            var m = parse.GetValue(items);
            // 50 us items: a tenth of the calls (each is 5 ms of work); the per-call figure is the same kind.
            foreach (var (name, rounds, callCount) in new[] { ("0.5us", 130, n), ("50us", 13_000, Math.Max(Rounds, n / 10)) })
            {
                var inputs = Enumerable.Range(0, m).ToArray();
                Func<int, long> f = i => (long)(Kernels.H((ulong)i, rounds) >> 32);
                var results = new Dictionary<string, List<double>>();
                var threads = new ParOptions();
                var processes = new ParOptions { Executor = ExecutorOptions.Processes };
                var implementations = new (string Name, Func<Task<long>> Call)[]
                {
                    ("serial", () => Task.FromResult(Serial(inputs, f))),
                    ("parallel-for", () => Task.FromResult(ParallelFor(inputs, f))),
                    ("plinq", () => Task.FromResult(inputs.AsParallel().AsOrdered().Select(f).ToArray().Sum())),
                    ("parmap-threads", async () => (await Par.Map(inputs, f, threads).ConfigureAwait(false)).Sum()),
                    ("parmap-processes", async () => (await Par.Map(inputs, f, processes).ConfigureAwait(false)).Sum()),
                };
                var reference = Serial(inputs, f);
                foreach (var (impl, call) in implementations)
                {
                    // Warm-up: compile, start (and keep) workers.
                    if (await call().ConfigureAwait(false) != reference)
                    {
                        throw new InvalidOperationException($"{impl} computed another sum.");
                    }
                }
                for (var round = 0; round < Rounds; round++)
                {
                    foreach (var (impl, call) in implementations)
                    {
                        var perRound = Math.Max(1, callCount / Rounds);
                        var clock = Stopwatch.StartNew();
                        for (var k = 0; k < perRound; k++)
                        {
                            await call().ConfigureAwait(false);
                        }
                        if (!results.TryGetValue(impl, out var list))
                        {
                            results[impl] = list = [];
                        }
                        list.Add(clock.Elapsed.TotalMicroseconds / perRound);
                    }
                }
                var serial = Median(results["serial"]);
                var parallelFor = Median(results["parallel-for"]);
                foreach (var (impl, _) in implementations)
                {
                    var us = Median(results[impl]);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{{\"bench\":\"smallmaps\",\"item\":\"{name}\",\"items\":{m},\"calls\":{callCount},\"impl\":\"{impl}\",\"us_per_call\":{us:F1},\"speedup_vs_serial\":{serial / us:F2},\"vs_parallel_for\":{us / parallelFor:F2}}}"));
                }
            }
        });
        return command;
    }

    private static long Serial(int[] inputs, Func<int, long> f)
    {
        long sum = 0;
        foreach (var i in inputs)
        {
            sum += f(i);
        }
        return sum;
    }

    private static long ParallelFor(int[] inputs, Func<int, long> f)
    {
        var results = new long[inputs.Length];
        Parallel.For(0, inputs.Length, i => results[i] = f(inputs[i]));
        return results.Sum();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
