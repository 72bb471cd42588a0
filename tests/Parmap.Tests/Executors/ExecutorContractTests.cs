namespace Parmap.Tests.Executors;

/// <summary>
/// The contract every executor honours, run once per executor (threads here; worker processes in the integration tests).
/// </summary>
public abstract class ExecutorContractTests
{
    /// <summary>Options that select the executor under test.</summary>
    protected abstract ParOptions Options { get; }

    [Fact]
    public async Task Map_ManyItems_ResultsInInputOrder()
    {
        // Given an array of 100,000 inputs
        var inputs = Enumerable.Range(0, 100_000).ToArray();

        // When each is squared
        var ys = await Par.Map(inputs, x => (long)x * x, Options);

        // Then result i is input i squared
        Assert.Equal(inputs.Length, ys.Length);
        for (var i = 0; i < ys.Length; i++)
        {
            Assert.Equal((long)i * i, ys[i]);
        }
    }

    [Fact]
    public async Task Map_LazyEnumerable_ResultsInInputOrder()
    {
        var ys = await Par.Map(TestSupport.Generate(50_000), x => x + 1, Options);

        Assert.Equal(Enumerable.Range(1, 50_000), ys);
    }

    [Fact]
    public async Task Map_EmptyInput_ReturnsEmpty()
    {
        var ys = await Par.Map(Array.Empty<int>(), x => x, Options);

        Assert.Empty(ys);
    }

    [Fact]
    public async Task Map_OneItem_ReturnsIt()
    {
        var ys = await Par.Map(new[] { 21 }, x => x * 2, Options);

        Assert.Equal([42], ys);
    }

    [Fact]
    public async Task Map_MoreWorkersThanItems_UsesOneWorkerPerItem()
    {
        var result = await Par.MapOutcomes(new[] { 1, 2, 3 }, x => x * 10, Options with { Workers = 64 });

        // Then at most one worker per item (none at all beside the caller when the map was too small to split)
        Assert.Equal([10, 20, 30], result.Values());
        Assert.Equal(result.Report.RanInline ? 1 : 3, result.Report.Workers);
    }

    [Fact]
    public async Task Map_ItemThrows_ThrowsItemFailedWithIndexAndInput()
    {
        var inputs = Enumerable.Range(0, 10_000).ToArray();

        var e = await Assert.ThrowsAsync<ItemFailedException>(() => Par.Map(inputs, x => x == 7_777 ? throw new InvalidOperationException("bad input") : x, Options));

        Assert.Equal(7_777, e.Index);
        Assert.Equal(7_777, e.Item);
        Assert.Contains("bad input", e.Message);
        Assert.Contains("7777", e.Message);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public async Task MapOutcomes_SomeItemsThrow_EveryValueOrError()
    {
        var inputs = Enumerable.Range(0, 1_000).ToArray();

        var result = await Par.MapOutcomes(inputs, x => x % 100 == 3 ? throw new ArgumentException($"no {x}") : x * 2, Options);

        Assert.Equal(10, result.Failures.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => (long)(k * 100) + 3), result.Failures.Select(f => f.Index));
        for (var i = 0; i < inputs.Length; i++)
        {
            var outcome = result.Outcomes[i];
            Assert.Equal(i, outcome.Index);
            Assert.Equal(i % 100 != 3, outcome.Succeeded);
            if (outcome.Succeeded)
            {
                Assert.Equal(i * 2, outcome.Value);
            }
            else
            {
                Assert.Equal($"no {i}", outcome.Error!.InnerException!.Message);
            }
        }
        Assert.Equal(10, result.Report.Failed);
        Assert.Equal(990, result.Report.Succeeded);
    }

    [Fact]
    public async Task Map_CollectPolicy_ThrowsItemsFailedListingAll()
    {
        var e = await Assert.ThrowsAsync<ItemsFailedException>(() =>
            Par.Map(Enumerable.Range(0, 500).ToArray(), x => x % 50 == 0 ? throw new InvalidOperationException() : x, Options with { ErrorPolicy = ErrorPolicy.Collect }));

        Assert.Equal(10, e.Failures.Count);
        Assert.Equal(0, e.Failures[0].Index);
        Assert.Contains("10 of 500 items failed", e.Message);
    }

    [Fact]
    public async Task Map_TransientErrors_RetriedUntilSuccess()
    {
        // Attempts are counted in files: the function may run in another process, where captured counters are copies.
        var dir = Directory.CreateTempSubdirectory("parmap-retry").FullName;
        try
        {
            var result = await Par.MapOutcomes(Enumerable.Range(0, 200).ToArray(), x =>
            {
                if (x % 10 != 0)
                {
                    return x;
                }
                var attempt = Directory.GetFiles(dir, $"{x}.*").Length + 1;
                File.WriteAllText(Path.Combine(dir, $"{x}.{attempt}"), "");
                return attempt < 3 ? throw new TimeoutException("flaky") : x;
            }, Options with { Retries = 2 });

            Assert.Equal(Enumerable.Range(0, 200), result.Values());
            Assert.All(Enumerable.Range(0, 20), k => Assert.Equal(3, Directory.GetFiles(dir, $"{k * 10}.*").Length));
            Assert.Equal(40, result.Report.Retried);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Map_RetriesExhausted_FailureCarriesAttempts()
    {
        var e = await Assert.ThrowsAsync<ItemFailedException>(() =>
            Par.Map(Enumerable.Range(0, 100).ToArray(), x => x == 42 ? throw new TimeoutException("always") : x, Options with { Retries = 2 }));

        Assert.Equal(42, e.Index);
        Assert.Equal(3, e.Attempts);
        Assert.Contains("after 3 attempts", e.Message);
    }

    [Fact]
    public async Task Map_RetryOnRejectsException_NotRetried()
    {
        var dir = Directory.CreateTempSubdirectory("parmap-retry").FullName;
        try
        {
            var e = await Assert.ThrowsAsync<ItemFailedException>(() =>
                Par.Map(new[] { 1 }, x =>
                {
                    File.WriteAllText(Path.Combine(dir, Guid.NewGuid().ToString("N")), "");
                    return x == 1 ? throw new ArgumentException("permanent") : x;
                }, Options with { Retries = 5, RetryOn = ex => ex is TimeoutException }));

            Assert.Single(Directory.GetFiles(dir));
            Assert.Equal(1, e.Attempts);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1)]
    [InlineData(null)]
    public async Task Stream_InputSequenceThrows_DeliversEveryItemReadBeforeThenThrowsIt(int? batch)
    {
        // Given an input sequence that gives 7 inputs and then throws
        static IEnumerable<int> Inputs()
        {
            for (var i = 0; i < 7; i++)
            {
                yield return i;
            }
            throw new InvalidDataException("line 8 of the input file is damaged");
        }
        var results = new List<int>();

        // When it is streamed
        var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var y in Par.Stream(Inputs(), x => x * 10, Options with { BatchSize = batch }))
            {
                results.Add(y);
            }
        });

        // Then the results of the 7 inputs came first, in order, then the input's own exception
        Assert.Equal([0, 10, 20, 30, 40, 50, 60], results);
        Assert.Equal("line 8 of the input file is damaged", e.Message);
        var map = await Assert.ThrowsAsync<InvalidDataException>(() => Par.Map(Inputs(), x => x, Options with { BatchSize = batch }));
        Assert.Equal(e.Message, map.Message);
    }

    [Fact]
    public async Task StreamOutcomes_CompletionOrder_EveryIndexExactlyOnce()
    {
        var seen = new List<long>();

        await foreach (var o in Par.StreamOutcomes(Enumerable.Range(0, 20_000).ToArray(), x => x * 3, Options with { Order = ResultOrder.Completion }))
        {
            Assert.Equal(o.Index * 3, o.Value);
            seen.Add(o.Index);
        }

        seen.Sort();
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Stream_InputOrder_YieldsInOrder()
    {
        var expected = 0;

        await foreach (var y in Par.Stream(TestSupport.Generate(30_000), x => -x, Options))
        {
            Assert.Equal(-expected, y);
            expected++;
        }

        Assert.Equal(30_000, expected);
    }
}
