using System.Buffers;
using System.Collections.Concurrent;

using Akka.Actor;

using MessagePack;

using Parmap.Executors;
using Parmap.Remote;
using Parmap.Shipping;

namespace Parmap.Cluster;

/// <summary>
/// A node's threads: one per core, each taking the next batch, running it with the shared remote layer's
/// <see cref="IRemoteBatchRunner"/> (the function rebuilt once per thread), and answering the driver.
/// </summary>
internal sealed class NodeWorkers : IDisposable
{
    private readonly BlockingCollection<(RunBatch Batch, IActorRef Driver, IActorRef Node)> _queue = [];
    private readonly ConcurrentDictionary<int, Lazy<(Delegate? Function, int Shape, string? Error)>> _functions = new();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _running = new();
    private readonly Thread[] _threads;
    private readonly bool _processes = string.Equals(Environment.GetEnvironmentVariable("PARMAP_NODE_EXECUTOR"), "processes", StringComparison.OrdinalIgnoreCase);

    public NodeWorkers(int cores)
    {
        _threads = [.. Enumerable.Range(0, cores).Select(k => new Thread(Loop) { IsBackground = true, Name = $"Parmap node worker {k}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public bool Joined { get; set; }

    public void Open(OpenFunction open) => _functions[open.FunctionId] = new(() =>
    {
        try
        {
            return (FunctionPacker.Unpack(open.Payload), open.Shape, null);
        }
        catch (Exception e)
        {
            return (null, open.Shape, $"{e.GetType().Name}: {e.Message}");
        }
    });

    /// <summary>Queues a batch; its answer goes to <paramref name="driver"/> from <paramref name="node"/> (the node's actor: the driver knows its nodes by it).</summary>
    public void Run(RunBatch batch, IActorRef driver, IActorRef node)
    {
        _running[batch.BatchId] = new CancellationTokenSource();
        _queue.Add((batch, driver, node));
    }

    public void Cancel(long batchId)
    {
        if (_running.TryGetValue(batchId, out var cancel))
        {
            cancel.Cancel();
        }
    }

    private void Loop()
    {
        var runners = new Dictionary<int, IRemoteBatchRunner>();
        // PARMAP_NODE_EXECUTOR=processes: each of the node's threads runs its batches on a worker process of its own
        // (isolation, as the process executor gives on one machine); otherwise on the thread itself.
        using var pool = _processes ? Pool.Start(new ParOptions { Executor = ExecutorOptions.Processes, Workers = 1 }) : null;
        foreach (var (batch, driver, node) in _queue.GetConsumingEnumerable())
        {
            var cancel = _running[batch.BatchId];
            try
            {
                driver.Tell(RunOne(batch, runners, pool?.Options, cancel.Token), node);
            }
            finally
            {
                _running.TryRemove(batch.BatchId, out _);
                cancel.Dispose();
            }
        }
    }

    private BatchDone RunOne(RunBatch batch, Dictionary<int, IRemoteBatchRunner> runners, ParOptions? processes, CancellationToken token)
    {
        if (!runners.TryGetValue(batch.FunctionId, out var runner))
        {
            var (function, shape, error) = _functions.TryGetValue(batch.FunctionId, out var f) ? f.Value : (null, 0, "the function was not sent before its batch");
            if (function is null)
            {
                return new BatchDone(batch.BatchId, [], 0, error);
            }
            try
            {
                runner = IRemoteBatchRunner.Create(function, shape);
            }
            catch (Exception e)
            {
                return new BatchDone(batch.BatchId, [], 0, $"{e.GetType().Name}: {e.Message}");
            }
            runners.Clear(); // one function at a time: the previous map's runner is done
            runners[batch.FunctionId] = runner;
        }
        var reader = new MessagePackReader(batch.Inputs);
        runner.ReadInputs(ref reader, batch.Count);
        var started = TimeProvider.System.GetTimestamp();
        int ran;
        try
        {
            ran = processes is { } options ? runner.RunOn(options, token) : runner.Run(default(NoHook), token);
        }
        catch (OperationCanceledException)
        {
            ran = 0; // cancelled on the worker processes: nothing of this batch is delivered (the map is cancelled)
        }
        var itemTicks = TimeProvider.System.GetElapsedTime(started).Ticks;
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            Write(buffer, runner, ran);
        }
        catch (Exception e) when (e is MessagePackSerializationException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            runner.FailUnwritableResults(0, ran);
            buffer.ResetWrittenCount();
            Write(buffer, runner, ran);
        }
        return new BatchDone(batch.BatchId, buffer.WrittenSpan.ToArray(), itemTicks, null);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, IRemoteBatchRunner runner, int ran)
    {
        var writer = new MessagePackWriter(buffer);
        runner.WriteResults(ref writer, 0, ran);
        writer.Flush();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
    }

    private readonly struct NoHook : IItemHook
    {
        public void Starting(int position)
        {
        }

        public void Finished(int position)
        {
        }
    }
}
