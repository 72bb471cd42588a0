using System.CommandLine;

using Parmap.Bench.Compare;
using Parmap.Bench.Micro;

var root = new RootCommand("Parmap benchmarks: 'compare' runs the workloads W1-W5 side by side; 'micro' runs the BenchmarkDotNet microbenchmarks.")
{
    CompareCommand.Create(),
    MicroCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
