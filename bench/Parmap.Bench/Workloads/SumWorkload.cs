using Parmap.Bench.Compare;

namespace Parmap.Bench.Workloads;

/// <summary>A workload whose items are non-negative integers and whose checksum is their sum (W1, W2, W4, W5).</summary>
/// <param name="id">Id, e.g. <c>W1</c>.</param>
/// <param name="name">Short name.</param>
/// <param name="defaultN">Items at the reference size.</param>
/// <param name="reference">Checksum at the reference size.</param>
/// <param name="itemFor">Builds the item function for n items (W5's cost ramp depends on n).</param>
internal sealed class SumWorkload(string id, string name, int defaultN, long reference, Func<int, Func<int, long>> itemFor) : Workload
{
    public override string Id => id;

    public override string Name => name;

    public override int DefaultN => defaultN;

    public override long ReferenceChecksum => reference;

    public override async ValueTask<WorkloadResult> RunAsync(Implementation implementation, int n)
    {
        var sum = await implementation.SumAsync(itemFor(n), n).ConfigureAwait(false);
        return new WorkloadResult(sum, []);
    }
}
