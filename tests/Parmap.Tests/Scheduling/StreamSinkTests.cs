using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using Parmap.Executors;
using Parmap.Scheduling;

namespace Parmap.Tests.Scheduling;

public class StreamSinkTests
{
    [Property(MaxTest = 200)]
    public Property ReadAsync_InputOrder_AnyDeliveryOrderComesOutInIndexOrder(PositiveInt size, int seed)
    {
        // Given 1..64 results delivered in a random order, in batches of 1 to 3
        var n = (size.Get % 64) + 1;
        var order = Enumerable.Range(0, n).OrderBy(i => HashCode.Combine(seed, i)).ToArray();
        var sink = new StreamSink<int, int>(ordered: true, window: n);
        for (var k = 0; k < n;)
        {
            var count = Math.Min(n - k, 1 + (k % 3));
            sink.DeliverValues(BatchOf(order.Skip(k).Take(count).ToArray()));
            k += count;
        }
        sink.Complete(null);

        // When read, then they come out in index order
        var read = ReadAll(sink);
        return read.Select(o => o.Index).SequenceEqual(Enumerable.Range(0, n).Select(i => (long)i)).And(read.All(o => o.Value == o.Index * 10));
    }

    [Fact]
    public async Task ReserveAsync_WindowFull_WaitsUntilTheReaderReleases()
    {
        var sink = new StreamSink<int, int>(ordered: false, window: 4);
        Assert.True(await sink.ReserveAsync(4, CancellationToken.None));

        var waiting = sink.ReserveAsync(1, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        sink.Release(1);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReserveAsync_Completed_FalseSoLanesStop()
    {
        var sink = new StreamSink<int, int>(ordered: false, window: 1);
        Assert.True(await sink.ReserveAsync(1, CancellationToken.None));
        var waiting = sink.ReserveAsync(1, CancellationToken.None).AsTask();

        sink.Complete(null);

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReadAsync_CompletedWithError_ResultsFirstThenTheError()
    {
        var sink = new StreamSink<int, int>(ordered: true, window: 8);
        sink.DeliverValues(BatchOf([0, 1]));
        sink.Complete(new InvalidOperationException("the input broke"));
        var chunk = new List<Outcome<int>>();

        Assert.True(await sink.ReadAsync(chunk, CancellationToken.None));
        Assert.Equal([0L, 1L], chunk.Select(o => o.Index));
        sink.Release(chunk.Count);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await sink.ReadAsync(chunk, CancellationToken.None));
        Assert.Equal("the input broke", e.Message);
    }

    [Fact]
    public async Task ReadAsync_CompletionOrder_FailuresArriveAsOutcomes()
    {
        var sink = new StreamSink<int, int>(ordered: false, window: 8);
        sink.DeliverFailure(new ItemFailedException(3, 3, 1, new FormatException()));
        sink.Complete(null);
        var chunk = new List<Outcome<int>>();

        Assert.True(await sink.ReadAsync(chunk, CancellationToken.None));

        var failure = Assert.Single(chunk);
        Assert.Equal(3, failure.Index);
        Assert.False(failure.Succeeded);
    }

    private static Batch<int, int> BatchOf(int[] indices)
    {
        var batch = new Batch<int, int>(indices.Length);
        batch.Reset(indices.Length);
        for (var p = 0; p < indices.Length; p++)
        {
            batch.Indices[p] = indices[p];
            batch.Values[p] = indices[p] * 10;
        }
        batch.Count = batch.Ran = indices.Length;
        return batch;
    }

    private static List<Outcome<int>> ReadAll(StreamSink<int, int> sink)
    {
        var all = new List<Outcome<int>>();
        var chunk = new List<Outcome<int>>();
        while (sink.ReadAsync(chunk, CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            all.AddRange(chunk);
            sink.Release(chunk.Count);
        }
        return all;
    }
}
