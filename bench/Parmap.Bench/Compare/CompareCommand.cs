using System.CommandLine;

using Parmap.Bench.Workloads;

namespace Parmap.Bench.Compare;

/// <summary>
/// <c>compare --workload W2 [--n N] [--reps R] [--impl a,b] [--workers W] [--json]</c>: the side-by-side benchmark.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var workload = new Option<string>("--workload", "-w")
        {
            Description = "Workload to run: W1, W2, W3, W4, W5 or all.",
            DefaultValueFactory = _ => "all",
        };
        var n = new Option<int?>("--n")
        {
            Description = "Items per workload (W3: grid points, rounded to a square G*G). Default: each workload's reference size.",
        };
        var reps = new Option<int>("--reps")
        {
            Description = "Timed repetitions after one warm-up repetition; figures are medians.",
            DefaultValueFactory = _ => 5,
        };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Untimed warm-up repetitions before the timed ones (0 only for quick checksum checks).",
            DefaultValueFactory = _ => 1,
        };
        var impl = new Option<string[]>("--impl")
        {
            Description = "Implementations to run, comma-separated or repeated (default: all). Speedups need serial.",
            AllowMultipleArgumentsPerToken = true,
        };
        var workers = new Option<int?>("--workers")
        {
            Description = "Force the number of workers of every parallel implementation. Default: one per core, each API's default.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per line per implementation instead of a table.",
        };
        var command = new Command("compare", "Runs W1-W5 with serial, Parallel.For, Parallel.ForEach, PLINQ and Parmap side by side in one process, interleaved, and checks the checksums.")
        {
            workload, n, reps, warmup, impl, workers, json,
        };
        command.SetAction(async parseResult =>
        {
            var settings = Settings(
                parseResult.GetValue(workload) ?? "all",
                parseResult.GetValue(n),
                parseResult.GetValue(reps),
                parseResult.GetValue(warmup),
                parseResult.GetValue(impl) ?? [],
                parseResult.GetValue(workers),
                parseResult.GetValue(json),
                out var error);
            if (settings is null)
            {
                await Console.Error.WriteLineAsync($"compare: {error}").ConfigureAwait(false);
                return 2;
            }
            return await RunAsync(settings).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(CompareSettings settings)
    {
        var failed = false;
        foreach (var workload in settings.Workloads)
        {
            var summaries = await CompareRunner.RunAsync(workload, settings, Console.Error).ConfigureAwait(false);
            if (settings.Json)
            {
                foreach (var summary in summaries)
                {
                    Console.WriteLine(JsonReport.Line(summary));
                }
            }
            else
            {
                Console.WriteLine(TableReport.Format(summaries));
            }
            foreach (var bad in summaries.Where(s => !s.Ok))
            {
                failed = true;
                await Console.Error.WriteLineAsync(
                    $"CHECK FAILED: {bad.Workload.Id} {bad.Impl}: checksum {bad.Checksum} (reference {bad.Workload.ReferenceChecksum} at n={bad.Workload.DefaultN}; " +
                    $"checksum_ok={bad.ChecksumOk}, matches_serial={bad.MatchesSerial}, stable={bad.StableChecksum}, points_ok={bad.PointsOk})").ConfigureAwait(false);
            }
        }
        return failed ? 1 : 0;
    }

    private static CompareSettings? Settings(string workloadId, int? n, int reps, int warmups, string[] implNames, int? workers, bool json, out string error)
    {
        error = "";
        IReadOnlyList<Workload> workloads;
        if (string.Equals(workloadId, "all", StringComparison.OrdinalIgnoreCase))
        {
            workloads = WorkloadCatalog.All;
        }
        else if (WorkloadCatalog.Find(workloadId) is { } one)
        {
            workloads = [one];
        }
        else
        {
            error = $"unknown workload '{workloadId}'. Use one of {string.Join(", ", WorkloadCatalog.All.Select(w => w.Id))} or all.";
            return null;
        }
        if (n is { } items && workloads.FirstOrDefault(w => items < w.MinN) is { } tooSmall)
        {
            error = $"--n {items} is too small for {tooSmall.Id}: it needs at least {tooSmall.MinN} items.";
            return null;
        }
        if (reps < 1)
        {
            error = $"--reps {reps} must be at least 1.";
            return null;
        }
        if (warmups < 0)
        {
            error = $"--warmup {warmups} must be 0 or more.";
            return null;
        }
        if (workers is { } w && w < 1)
        {
            error = $"--workers {w} must be at least 1 (leave it out for one worker per core).";
            return null;
        }
        var all = Implementations.Create(workers);
        var wanted = implNames.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var unknown = wanted.Where(name => !all.Any(i => i.Name == name)).ToList();
        if (unknown.Count > 0)
        {
            error = $"unknown implementation '{string.Join("', '", unknown)}'. Use any of {string.Join(", ", all.Select(i => i.Name))}.";
            return null;
        }
        var impls = wanted.Count == 0 ? all : [.. all.Where(i => wanted.Contains(i.Name))];
        return new CompareSettings(workloads, n, reps, warmups, impls, json);
    }
}
