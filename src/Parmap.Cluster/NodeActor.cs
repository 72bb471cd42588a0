using Akka.Actor;
using Akka.Cluster;

namespace Parmap.Cluster;

/// <summary>
/// A node's actor: says hello to the driver once this node is up, hands batches to the <see cref="NodeWorkers"/>, and
/// ends the node when the driver is refused, unreachable or removed, or this node is removed.
/// </summary>
internal sealed class NodeActor : ReceiveActor
{
    public NodeActor(Address driver, int cores, NodeWorkers workers, TaskCompletionSource<(int Code, string Reason)> exit)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.MemberUp>(e =>
        {
            if (e.Member.Address.Equals(cluster.SelfAddress))
            {
                Context.ActorSelection(new RootActorPath(driver) / "user" / ClusterJob.DriverActor)
                    .Tell(new NodeHello(BuildIdentity.Current, BuildIdentity.EntryName, cores, Environment.ProcessId, Environment.MachineName));
            }
        });
        Receive<NodeWelcome>(w =>
        {
            workers.Joined = true;
            Console.Error.WriteLine($"parmap node: joined the driver at {driver} as node {w.NodeId} ({cores} cores)");
        });
        Receive<NodeRefused>(r => exit.TrySetResult((4, "refused by the driver: " + r.Message)));
        Receive<OpenFunction>(workers.Open);
        Receive<RunBatch>(b => workers.Run(b, Sender, Self));
        Receive<CancelBatch>(c => workers.Cancel(c.BatchId));
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            if (e.Member.Address.Equals(driver))
            {
                exit.TrySetResult((0, "the driver is unreachable (it ended or was killed); exiting"));
            }
        });
        Receive<ClusterEvent.MemberRemoved>(e =>
        {
            if (e.Member.Address.Equals(driver) || e.Member.Address.Equals(cluster.SelfAddress))
            {
                exit.TrySetResult((0, "the driver left the cluster, or removed this node; exiting"));
            }
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
}
