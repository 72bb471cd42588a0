using System.CommandLine;

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Parmap.Bench.Micro;

/// <summary><c>micro [BenchmarkDotNet arguments]</c>: the scheduler-overhead microbenchmarks.</summary>
internal static class MicroCommand
{
    public static Command Create()
    {
        var arguments = new Argument<string[]>("benchmarkdotnet-arguments")
        {
            Description = "Passed to BenchmarkDotNet, e.g. --filter '*PerItem*' --job short. Without --filter every benchmark runs. " +
                          "Put them after -- to pass options this command also knows (micro -- --help shows BenchmarkDotNet's own help).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("micro", "Runs the BenchmarkDotNet microbenchmarks of Parmap's per-item, per-batch and per-call overhead.")
        {
            arguments,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(arguments) ?? []));
        return command;
    }

    private static int Run(string[] args)
    {
        // BenchmarkSwitcher asks on the console which benchmarks to run when there is no filter: run them all instead.
        var hasFilter = args.Any(a => a is "--filter" or "-f" || a.StartsWith("--filter=", StringComparison.Ordinal));
        string[] full = hasFilter || args.Contains("--help") || args.Contains("--list") ? args : [.. args, "--filter", "*"];
        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroCommand).Assembly).Run(full, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
