using System.Collections.Concurrent;

namespace Parmap.Tests;

public class StreamTests
{
    [Fact]
    public async Task Stream_EndlessInputConsumerStops_InputReadOnlyWithinWindowAndNothingLeftRunning()
    {
        // Given an endless input and a window of 2,000 items in flight
        var pulled = new TestSupport.StrongBox<long>();
        var active = new TestSupport.ActiveItems();
        var options = new ParOptions { Workers = 4, MaxInFlight = 2_000 };
        var taken = 0;

        // When the reader takes 10,000 results and stops
        await foreach (var y in Par.Stream(TestSupport.Endless(pulled), x => active.Run(x, static x => x * 2), options))
        {
            Assert.Equal(taken * 2L, y);
            if (++taken == 10_000)
            {
                break;
            }
        }

        // Then the input was read at most one window ahead of the reader, and no item is left running
        Assert.InRange(Volatile.Read(ref pulled.Value), 10_000, 10_000 + 2_000 + 1);
        Assert.Equal(0, active.Running);
    }

    [Fact]
    public async Task Stream_LazyInput_ProducerNeverMoreThanAWindowAhead()
    {
        const int window = 1_024;
        long produced = 0;
        long consumed = 0;
        long maxAhead = 0;
        IEnumerable<long> Source()
        {
            for (long i = 0; i < 200_000; i++)
            {
                produced++;
                maxAhead = Math.Max(maxAhead, produced - Volatile.Read(ref consumed));
                yield return i;
            }
        }

        long sum = 0;
        await foreach (var y in Par.Stream(Source(), x => x, new ParOptions { MaxInFlight = window }))
        {
            sum += y;
            Interlocked.Increment(ref consumed);
        }

        Assert.Equal(200_000L * 199_999 / 2, sum);
        Assert.InRange(maxAhead, 1, window + 1);
    }

    // Measures the heap over 10 million items: a stress test (./test.sh --stress), run by CI in a step of its own.
    [Fact]
    [Trait("Category", "Stress")]
    public async Task Stream_TenMillionItems_InFlightAndHeapStayBounded()
    {
        // Given 10 million lazily produced items and a window of 4,096
        const int window = 4_096;
        long produced = 0;
        long consumed = 0;
        long maxAhead = 0;
        IEnumerable<long> Source()
        {
            for (long i = 0; i < 10_000_000; i++)
            {
                produced++;
                maxAhead = Math.Max(maxAhead, produced - Volatile.Read(ref consumed));
                yield return i;
            }
        }
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long maxHeap = 0;

        // When every result is streamed
        long sum = 0;
        await foreach (var y in Par.Stream(Source(), x => x, new ParOptions { MaxInFlight = window }))
        {
            sum += y;
            if ((++consumed & 0xFFFFF) == 0)
            {
                maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: false) - baseline);
            }
        }

        // Then all arrived, the producer never ran more than a window ahead, and the heap never held the whole stream
        // (10 million boxed outcomes would be hundreds of MB; a full collection is not forced, so allow garbage).
        Assert.Equal(10_000_000L * 9_999_999 / 2, sum);
        Assert.InRange(maxAhead, 1, window + 1);
        Assert.InRange(maxHeap, long.MinValue, 256L << 20);
    }

    [Fact]
    public async Task Stream_StopPolicyItemFails_ThrowsItemFailed()
    {
        var read = 0;

        var e = await Assert.ThrowsAsync<ItemFailedException>(async () =>
        {
            await foreach (var y in Par.Stream(TestSupport.Generate(100_000), x => x == 5_000 ? throw new InvalidDataException("x") : x))
            {
                read++;
            }
        });

        Assert.Equal(5_000, e.Index);
        Assert.True(read <= 5_000);
    }

    [Fact]
    public async Task Stream_CollectPolicy_YieldsSuccessesThenReportsFailures()
    {
        var values = new List<int>();

        var e = await Assert.ThrowsAsync<ItemsFailedException>(async () =>
        {
            await foreach (var y in Par.Stream(TestSupport.Generate(1_000), x => x % 250 == 0 ? throw new InvalidDataException() : x, new ParOptions { ErrorPolicy = ErrorPolicy.Collect }))
            {
                values.Add(y);
            }
        });

        Assert.Equal(Enumerable.Range(0, 1_000).Where(x => x % 250 != 0), values);
        Assert.Equal([0L, 250, 500, 750], e.Failures.Select(f => f.Index));
    }

    [Fact]
    public async Task StreamOutcomes_DefaultOptions_FailuresArriveAsOutcomesInOrder()
    {
        var outcomes = new List<Outcome<int>>();

        // Default options (ErrorPolicy.Stop) and even an explicit Stop: outcome-returning calls always collect.
        await foreach (var o in Par.StreamOutcomes(TestSupport.Generate(100), x => x is 50 or 70 ? throw new InvalidDataException() : x, new ParOptions { ErrorPolicy = ErrorPolicy.Stop }))
        {
            outcomes.Add(o);
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), outcomes.Select(o => o.Index));
        Assert.Equal([50L, 70], outcomes.Where(o => !o.Succeeded).Select(o => o.Index));
        Assert.IsType<InvalidDataException>(outcomes[50].Error!.InnerException);
        Assert.Throws<ItemFailedException>(() => outcomes[50].GetValueOrThrow());
        Assert.Equal(99, outcomes[99].Value);
    }

    [Fact]
    public async Task StreamOutcomes_NoOptions_Collects()
    {
        var failed = 0;
        await foreach (var o in Par.StreamOutcomes(Enumerable.Range(0, 10), x => x == 3 ? throw new InvalidDataException() : x))
        {
            failed += o.Succeeded ? 0 : 1;
        }
        Assert.Equal(1, failed);
    }

    [Fact]
    public async Task Stream_CallerCancels_ThrowsWithCallerToken()
    {
        using var cts = new CancellationTokenSource();
        var read = 0;

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var y in Par.Stream(TestSupport.Generate(int.MaxValue), x => x, cancellationToken: cts.Token))
            {
                if (++read == 1_000)
                {
                    cts.Cancel();
                }
            }
        });

        Assert.Equal(cts.Token, e.CancellationToken);
    }
}
