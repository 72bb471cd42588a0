namespace Parmap.Bench.Compare;

/// <summary>The implementations <c>compare</c> runs, in the order they are interleaved within each repetition.</summary>
internal static class Implementations
{
    /// <summary>Every implementation; <paramref name="workers"/> forces the number of workers (null: one per core, each API's default).</summary>
    public static IReadOnlyList<Implementation> Create(int? workers)
    {
        var reported = workers ?? Environment.ProcessorCount;
        var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = workers ?? -1 };
        var parmap = new ParOptions { Workers = workers };
        return
        [
            new SerialImplementation(),
            new ParallelForImplementation(reported, parallelOptions),
            new ParallelForEachImplementation(reported, parallelOptions),
            new PlinqImplementation(reported, workers),
            new ParmapImplementation("parmap-threads", parmap with { Executor = ExecutorOptions.Threads }),
            // Warm worker processes (a pool started once, outside the timing; the warm-up repetition starts them):
            // the steady-state cost of isolation. The cold start is measured by the 'startup' command.
            new ParmapImplementation("parmap-processes", Pool.Start(parmap with { Executor = ExecutorOptions.Processes }).Options),
            new ParmapGridImplementation(parmap),
            new ParmapMonteCarloImplementation(parmap),
        ];
    }
}
