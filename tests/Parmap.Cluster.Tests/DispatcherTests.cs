using System.Collections.Concurrent;

using Akka.Actor;

using Parmap.Shipping;

namespace Parmap.Cluster.Tests;

/// <summary>The driver's dispatch rules, with recording actors of a local actor system as nodes.</summary>
public sealed class DispatcherTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("dispatcher-tests", "akka.loglevel = OFF");
    private readonly IActorRef _driver;
    private readonly Dispatcher _dispatcher;

    public DispatcherTests()
    {
        _driver = _system.ActorOf(Props.Create(() => new Recorder(new ConcurrentQueue<object>())), "driver");
        _dispatcher = new Dispatcher(() => _driver);
    }

    private static readonly ShippedFunction s_function = ShippedFunction.Create(Executors.WorkFunction<int, int>.From(static (int x) => x + 1));

    [Fact]
    public void Submit_NeverMoreBatchesOnANodeThanItsCores_AndAnAnswerFreesOne()
    {
        var (node, seen) = Node("a");
        _dispatcher.AddNode(node, Hello(cores: 2));
        var batches = Enumerable.Range(0, 5).Select(_ => Batch()).ToList();

        batches.ForEach(_dispatcher.Submit);

        var sent = WaitForBatches(seen, 2);
        Assert.Equal([batches[0].Id, batches[1].Id], sent);
        Assert.Single(seen.OfType<OpenFunction>()); // the function once per node
        _dispatcher.Complete(node, new BatchDone(batches[0].Id, [], 0, null));
        Assert.Equal([batches[0].Id, batches[1].Id, batches[2].Id], WaitForBatches(seen, 3));
        Assert.True(batches[0].Done.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task LoseNode_ItsBatchesRunElsewhere_AndItsLateAnswerIsDropped()
    {
        var (a, seenA) = Node("a");
        var (b, seenB) = Node("b");
        _dispatcher.AddNode(a, Hello(cores: 1));
        var batch = Batch();
        _dispatcher.Submit(batch);
        _ = WaitForBatches(seenA, 1);
        _dispatcher.AddNode(b, Hello(cores: 1));

        _dispatcher.LoseNode(a.Path.Address);
        Assert.Equal([batch.Id], WaitForBatches(seenB, 1));
        _dispatcher.Complete(a, new BatchDone(batch.Id, [1], 0, null)); // the lost node's answer: dropped
        Assert.False(batch.Done.Task.IsCompleted);
        _dispatcher.Complete(b, new BatchDone(batch.Id, [2], 0, null));
        Assert.Equal([2], (await batch.Done.Task).Done.Results);
    }

    private List<long> WaitForBatches(ConcurrentQueue<object> seen, int count)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (seen.OfType<RunBatch>().Count() < count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{count} batches were not sent");
            Thread.Sleep(5);
        }
        Thread.Sleep(50); // and no more than that
        return [.. seen.OfType<RunBatch>().Select(b => b.BatchId)];
    }

    /// <summary>A node: a recording actor in an actor system of its own (a node is known by its address).</summary>
    private (IActorRef Node, ConcurrentQueue<object> Seen) Node(string name)
    {
        var seen = new ConcurrentQueue<object>();
        var system = ActorSystem.Create(name, "akka.loglevel = OFF");
        _nodes.Add(system);
        return (system.ActorOf(Props.Create(() => new Recorder(seen)), "node"), seen);
    }

    private readonly List<ActorSystem> _nodes = [];

    private static NodeHello Hello(int cores) => new("build", "app", cores, 1, "host");

    private static PendingBatch Batch() => new(ClusterExecutor.NextBatchId(), s_function, 3, [1, 2, 3]);

    [Fact]
    public async Task LoseNode_ThreeTimes_FailsTheBatchWithNodeLostException()
    {
        var batch = Batch();
        _dispatcher.Submit(batch);
        for (var k = 0; k < Dispatcher.MaxLosses; k++)
        {
            var (node, seen) = Node($"n{k}");
            _dispatcher.AddNode(node, Hello(cores: 1));
            _ = WaitForBatches(seen, 1);
            _dispatcher.LoseNode(node.Path.Address);
        }

        var error = await Assert.ThrowsAsync<NodeLostException>(() => batch.Done.Task);
        Assert.Contains("3 times", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_RoundTripsEveryMessage()
    {
        var serializer = new ParmapSerializer((ExtendedActorSystem)_system);
        object[] messages =
        [
            new RunBatch(7, 3, 2, [1, 2]), new BatchDone(7, [9], 123, null), new BatchDone(8, [], 0, "no"), new OpenFunction(3, 1, [5]),
            new CancelBatch(7), new NodeHello("b", "app", 4, 42, "h"), new NodeWelcome(2), new NodeRefused("why"),
        ];
        foreach (var message in messages)
        {
            var back = serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message, message.GetType()), System.Text.Json.JsonSerializer.Serialize(back, back.GetType()));
        }
    }

    public void Dispose()
    {
        foreach (var system in _nodes.Append(_system))
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(ConcurrentQueue<object> seen) => ReceiveAny(seen.Enqueue);
    }
}
