using Parmap.Scheduling;

namespace Parmap.Running;

/// <summary>The two shapes of a run: all results into an array (map, outcomes, grids), or a stream of outcomes to one reader (streams, Monte Carlo).</summary>
internal static class Runs
{
    /// <summary>Largest batch for array results: bounds the per-lane buffers.</summary>
    private const int MaxBatch = 1 << 16;

    public static async Task<ArrayRun<TOut>> ToArrayAsync<TIn, TOut>(RunRequest<TIn, TOut> request)
    {
        var run = await Run<TIn, TOut>.StartAsync(request).ConfigureAwait(false);
        await using (run.ConfigureAwait(false))
        {
            var sink = new ArraySink<TIn, TOut>(run.Source.Count);
            var report = await run.ExecuteAsync(sink, MaxBatch).ConfigureAwait(false);
            return new ArrayRun<TOut>(sink.Values(run.Source.Taken), sink.Failures(), report);
        }
    }

    public static async IAsyncEnumerable<Outcome<TOut>> StreamAsync<TIn, TOut>(RunRequest<TIn, TOut> request)
    {
        var run = await Run<TIn, TOut>.StartAsync(request).ConfigureAwait(false);
        await using (run.ConfigureAwait(false))
        {
            var window = request.Options.ResolveMaxInFlight(run.Lanes);
            var sink = new StreamSink<TIn, TOut>(request.Options.Order == ResultOrder.Input, window);
            using var readerLeft = new CancellationTokenSource();
            var running = RunIntoAsync(run, sink, Math.Max(1, window / (2 * run.Lanes)), readerLeft.Token);
            var chunk = new List<Outcome<TOut>>();
            try
            {
                while (await sink.ReadAsync(chunk, request.CancellationToken).ConfigureAwait(false))
                {
                    foreach (var outcome in chunk)
                    {
                        yield return outcome;
                    }
                    sink.Release(chunk.Count);
                }
            }
            finally
            {
                // The reader stopped (finished, broke out, or threw): stop the run and wait until nothing is left running.
                await readerLeft.CancelAsync().ConfigureAwait(false);
                await running.ConfigureAwait(false);
            }
        }
    }

    private static async Task RunIntoAsync<TIn, TOut>(Run<TIn, TOut> run, StreamSink<TIn, TOut> sink, int maxBatch, CancellationToken readerLeft)
    {
        try
        {
            await run.ExecuteAsync(sink, maxBatch, readerLeft).ConfigureAwait(false);
            sink.Complete(null);
        }
        catch (Exception e)
        {
            sink.Complete(e);
        }
    }

    /// <summary>The values (default where an item failed), the failures in input order, and the report.</summary>
    internal sealed record ArrayRun<TOut>(TOut[] Values, IReadOnlyList<ItemFailedException> Failures, RunReport Report);
}
