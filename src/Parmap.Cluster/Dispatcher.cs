using Akka.Actor;

using Parmap.Shipping;

namespace Parmap.Cluster;

/// <summary>
/// The driver's view of its nodes and of the batches waiting for them: credit-based (a node has as many batches as it
/// has cores, never more), first come first served, and exactly once (a batch belongs to one node at a time; the
/// answer of a node it was taken from is dropped). A node that is lost gives its batches back to the front of the queue.
/// </summary>
internal sealed class Dispatcher(Func<IActorRef> driverActor)
{
    /// <summary>How many times a batch may lose its node before its items fail (a batch that crashes every node it reaches).</summary>
    public const int MaxLosses = 3;

    private readonly Lock _lock = new();
    private readonly Dictionary<IActorRef, NodeState> _nodes = [];
    private readonly LinkedList<PendingBatch> _queue = [];
    private readonly List<string> _refused = [];
    private int _lastNodeId;
    private long? _noNodesSince = TimeProvider.System.GetTimestamp();
    private TaskCompletionSource _nodesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Nodes in service now.</summary>
    public int NodeCount
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>How long the driver has had no node at all (null while it has one).</summary>
    public TimeSpan? WithoutNodesFor
    {
        get
        {
            lock (_lock)
            {
                return _noNodesSince is { } since ? TimeProvider.System.GetElapsedTime(since) : null;
            }
        }
    }

    /// <summary>Batches the nodes can run at once (the sum of their cores).</summary>
    public int Credits
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Values.Sum(n => n.Cores);
            }
        }
    }

    /// <summary>Why nodes were refused (another build), for the message of a map that found no node.</summary>
    public IReadOnlyList<string> Refused
    {
        get
        {
            lock (_lock)
            {
                return [.. _refused];
            }
        }
    }

    /// <summary>Completes when a node joins or leaves.</summary>
    public Task NodesChanged
    {
        get
        {
            lock (_lock)
            {
                return _nodesChanged.Task;
            }
        }
    }

    public void AddNode(IActorRef node, NodeHello hello)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(node, out var known))
            {
                node.Tell(new NodeWelcome(known.Id), driverActor()); // a repeated hello: the first answer was lost
                return;
            }
            var id = ++_lastNodeId;
            _nodes[node] = new NodeState(id, node, Math.Max(1, hello.Cores), $"{hello.Host} pid {hello.Pid}");
            node.Tell(new NodeWelcome(id), driverActor());
            Changed();
            Pump();
        }
    }

    public void Refuse(IActorRef node, string message)
    {
        lock (_lock)
        {
            _refused.Add(message);
        }
        node.Tell(new NodeRefused(message), driverActor());
    }

    /// <summary>A node is gone (unreachable, removed, or its actor stopped): its batches go back to the front of the queue.</summary>
    public void LoseNode(Address address)
    {
        lock (_lock)
        {
            foreach (var node in _nodes.Values.Where(n => n.Ref.Path.Address.Equals(address)).ToList())
            {
                _nodes.Remove(node.Ref);
                foreach (var batch in node.InFlight.Values.OrderByDescending(b => b.Id))
                {
                    batch.Node = null;
                    batch.Losses++;
                    if (batch.Losses >= MaxLosses)
                    {
                        batch.Done.TrySetException(new NodeLostException(
                            $"The batch of {batch.Count} items lost the cluster node running it {batch.Losses} times (last: {node.Name}): one of its items may crash the nodes it runs on."));
                    }
                    else
                    {
                        _queue.AddFirst(batch);
                    }
                }
                Changed();
            }
            Pump();
        }
    }

    /// <summary>Queues a batch; its task completes with the node's answer.</summary>
    public void Submit(PendingBatch batch)
    {
        lock (_lock)
        {
            _queue.AddLast(batch);
            Pump();
        }
    }

    /// <summary>The map was cancelled: a queued batch is withdrawn, a running one is asked to stop after its running items.</summary>
    public void Cancel(PendingBatch batch)
    {
        lock (_lock)
        {
            if (batch.Node is { } node)
            {
                node.Ref.Tell(new CancelBatch(batch.Id), driverActor());
            }
            else if (_queue.Remove(batch))
            {
                batch.Done.TrySetCanceled();
            }
        }
    }

    /// <summary>A node answered: the batch completes unless it was taken from that node meanwhile.</summary>
    public void Complete(IActorRef from, BatchDone done)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(from, out var node) || !node.InFlight.Remove(done.BatchId, out var batch))
            {
                return; // a node already counted as lost: its batch runs (or ran) elsewhere
            }
            batch.Node = null;
            batch.Done.TrySetResult((done, node.Name));
            Pump();
        }
    }

    private void Pump()
    {
        while (_queue.First is { } first)
        {
            var node = _nodes.Values.Where(n => n.InFlight.Count < n.Cores).MaxBy(n => n.Cores - n.InFlight.Count);
            if (node is null)
            {
                return;
            }
            var batch = first.Value;
            _queue.RemoveFirst();
            if (batch.Done.Task.IsCompleted)
            {
                continue;
            }
            batch.Node = node;
            node.InFlight[batch.Id] = batch;
            if (node.Opened.Add(batch.Function.Id))
            {
                node.Ref.Tell(new OpenFunction(batch.Function.Id, batch.Function.Shape, batch.Function.Payload), driverActor());
            }
            node.Ref.Tell(new RunBatch(batch.Id, batch.Function.Id, batch.Count, batch.Inputs), driverActor());
        }
    }

    private void Changed()
    {
        _noNodesSince = _nodes.Count > 0 ? null : _noNodesSince ?? TimeProvider.System.GetTimestamp();
        _nodesChanged.TrySetResult();
        _nodesChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    internal sealed class NodeState(int id, IActorRef node, int cores, string name)
    {
        public int Id { get; } = id;

        public IActorRef Ref { get; } = node;

        public int Cores { get; } = cores;

        public string Name { get; } = $"node {id} ({name})";

        public HashSet<int> Opened { get; } = [];

        public Dictionary<long, PendingBatch> InFlight { get; } = [];
    }
}

/// <summary>A batch on its way to a node: its inputs' bytes and the task of its answer.</summary>
internal sealed class PendingBatch(long id, ShippedFunction function, int count, byte[] inputs)
{
    public long Id { get; } = id;

    public ShippedFunction Function { get; } = function;

    public int Count { get; } = count;

    public byte[] Inputs { get; } = inputs;

    public int Losses { get; set; }

    public Dispatcher.NodeState? Node { get; set; }

    public TaskCompletionSource<(BatchDone Done, string Node)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
