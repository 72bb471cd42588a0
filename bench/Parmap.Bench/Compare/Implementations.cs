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
            new ParmapImplementation("parmap-threads", parmap with { Isolation = Isolation.Threads }),
            new ParmapGridImplementation(parmap),
            new ParmapMonteCarloImplementation(parmap),
        ];
    }
}
