using System.CommandLine;

using Parmap.Bench;
using Parmap.Bench.Compare;
using Parmap.Bench.Micro;

var root = new RootCommand("Parmap benchmarks: 'compare' runs the workloads W1-W5 side by side; 'micro' runs the BenchmarkDotNet microbenchmarks; 'startup' times a cold pool of worker processes; 'journal' measures what a journal costs; 'cold' runs maps as a user's program calls them (fresh processes, first and later calls); 'smallmaps' times many small maps called in a loop; 'journalkill' kills journaled runs with SIGKILL and counts the work lost; 'crashcost' counts the executions worker crashes cost; 'cluster' runs W2 on 2 local cluster nodes against worker processes, times a batch round trip and a node kill; 'cli' times the parmap command against GNU parallel and xargs -P.")
{
    CompareCommand.Create(),
    MicroCommand.Create(),
    StartupCommand.Create(),
    JournalCommand.Create(),
    JournalCommand.CreateOnce(),
    ColdCommand.Create(),
    SmallMapsCommand.Create(),
    JournalKillCommand.Create(),
    CrashCostCommand.Create(),
    ClusterCommand.Create(),
    CliCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
