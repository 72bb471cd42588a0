using System.Buffers;

using MessagePack;

using Parmap.Executors;
using Parmap.Remote;
using Parmap.Shipping;

namespace Parmap.Cluster;

/// <summary>
/// Runs a lane's batch on a cluster node: the inputs are written with the shared <see cref="BatchCodec{TIn, TOut}"/>,
/// sent through the driver's <see cref="Dispatcher"/> (which re-sends them elsewhere if the node is lost), and the node's
/// answer is read back into the batch. An input that cannot be serialized fails its own item only.
/// </summary>
internal sealed class ClusterBatchRunner<TIn, TOut>(ClusterExecutor executor, ShippedFunction function) : IBatchRunner<TIn, TOut>
{
    private readonly ClusterDriver _driver = executor.Driver;

    public async ValueTask RunAsync(int lane, Batch<TIn, TOut> batch, CancellationToken cancellationToken)
    {
        batch.Ran = await RunRangeAsync(batch, 0, batch.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs positions [lo, lo + count); returns the end of what ran (less than lo + count only when cancelled).</summary>
    private async ValueTask<int> RunRangeAsync(Batch<TIn, TOut> batch, int lo, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return lo;
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        if (!BatchCodec<TIn, TOut>.TryWriteInputs(ref writer, batch, lo, count, out var bad, out var error))
        {
            var before = await RunRangeAsync(batch, lo, bad - lo, cancellationToken).ConfigureAwait(false);
            if (before < bad)
            {
                return before;
            }
            batch.SetError(bad, error!);
            return await RunRangeAsync(batch, bad + 1, lo + count - bad - 1, cancellationToken).ConfigureAwait(false);
        }
        writer.Flush();
        var pending = new PendingBatch(ClusterExecutor.NextBatchId(), function, count, buffer.WrittenSpan.ToArray());
        _driver.Dispatcher.Submit(pending);
        (BatchDone Done, string Node) answer;
        using (cancellationToken.Register(() => _driver.Dispatcher.Cancel(pending)))
        {
            try
            {
                answer = await AnswerAsync(pending).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return lo; // withdrawn before a node took it: none of it ran (the contract: Ran < Count when cancelled)
            }
            catch (NodeLostException lost)
            {
                for (var p = lo; p < lo + count; p++)
                {
                    batch.SetError(p, lost);
                }
                return lo + count;
            }
        }
        if (answer.Done.OpenError is { } openError)
        {
            throw new InvalidOperationException($"The cluster's {answer.Node} could not rebuild the function: {openError}");
        }
        var reader = new MessagePackReader(answer.Done.Results);
        var end = lo + BatchCodec<TIn, TOut>.ReadResults(ref reader, batch, lo, answer.Node);
        executor.Count(answer.Node, end - lo);
        batch.ItemTime += TimeSpan.FromTicks(answer.Done.ItemTicks);
        return end;
    }

    /// <summary>
    /// The node's answer. When every node is gone and none joins within <see cref="ClusterOptions.NodeTimeout"/>, the
    /// map fails with a <see cref="ClusterException"/> instead of waiting for ever (what finished is delivered, and a
    /// journal keeps it).
    /// </summary>
    private async Task<(BatchDone Done, string Node)> AnswerAsync(PendingBatch pending)
    {
        var timeout = _driver.Options.NodeTimeout;
        while (true)
        {
            try
            {
                // WaitAsync drops its timer as soon as the answer comes: no timer outlives a batch.
                return await pending.Done.Task.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // no answer yet: is there still a node to give one?
            }
            if (_driver.Dispatcher.WithoutNodesFor is { } alone && alone > timeout)
            {
                _driver.Dispatcher.Cancel(pending);
                throw new ClusterException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Every node of the cluster is gone and none joined within {timeout.TotalSeconds:N0} s (ClusterOptions.NodeTimeout), so the map stopped. Start nodes (sh {System.IO.Path.Combine(_driver.Directory, NodeScript.FileName)}) and run the map again; with a journal it resumes where it stopped."));
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
