using Parmap.Bench.Compare;

namespace Parmap.Bench.Workloads;

/// <summary>
/// W3, the seed's grid: a G x G grid of logistic-map runs returned in order as a double[] (a map, not a reduction);
/// the checksum is the sum of <c>trunc(x * 2^32)</c>. The number of items is G * G.
/// </summary>
internal sealed class GridWorkload : Workload
{
    public override string Id => "W3";

    public override string Name => "grid";

    public override int DefaultN => 1_000_000;

    public override long ReferenceChecksum => 2681980046249612;

    public override int MinN => 4;

    public override IReadOnlyList<PointValue> ReferencePoints { get; } =
    [
        new("x[250,333]", 0.4951815181758255),
        new("x[500,142]", 0.8751201767999082),
        new("x[750,666]", 0.8591572489502315),
    ];

    /// <summary>The grid side for n items: the nearest whole square root, at least 2 (and G * G fits in an int).</summary>
    public static int Side(int n) => Math.Clamp((int)Math.Round(Math.Sqrt(n)), 2, 46_340);

    public override int ResolveN(int requested)
    {
        var g = Side(requested);
        return g * g;
    }

    public override async ValueTask<WorkloadResult> RunAsync(Implementation implementation, int n)
    {
        var g = Side(n);
        var values = implementation is ParmapGridImplementation grid
            ? await grid.MapGridAsync(g).ConfigureAwait(false)
            : await implementation.MapAsync(Item(g), g * g).ConfigureAwait(false);
        long checksum = 0;
        foreach (var x in values)
        {
            checksum += Kernels.Truncated(x);
        }
        return new WorkloadResult(checksum, Points(values, g));
    }

    // A method of its own so that the lambda's closure holds g and nothing else.
    private static Func<int, double> Item(int g) => k => Kernels.Logistic(k, g);

    private static PointValue[] Points(double[] values, int g)
    {
        (int I, int J)[] points = [(g / 4, g / 3), (g / 2, g / 7), (3 * g / 4, 2 * g / 3)];
        return [.. points.Select(p => new PointValue($"x[{p.I},{p.J}]", values[(p.I * g) + p.J]))];
    }
}
