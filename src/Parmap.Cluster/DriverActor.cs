using Akka.Actor;
using Akka.Cluster;

namespace Parmap.Cluster;

/// <summary>
/// The driver's actor: takes nodes in (same build) or refuses them, passes answers to the <see cref="Dispatcher"/>, and
/// counts a node as lost as soon as the failure detector finds it unreachable (and downs it, so that it leaves the
/// cluster at once and a restarted node on the same address can join).
/// </summary>
internal sealed class DriverActor : ReceiveActor
{
    public DriverActor(Dispatcher dispatcher, string buildId)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<NodeHello>(hello =>
        {
            if (hello.BuildId != buildId)
            {
                dispatcher.Refuse(Sender, $"The node {hello.Host} pid {hello.Pid} runs another build of the application ({hello.EntryName}, build {hello.BuildId}; the driver runs {BuildIdentity.EntryName}, build {buildId}). Start the nodes from the same build as the driver.");
                return;
            }
            Context.Watch(Sender);
            dispatcher.AddNode(Sender, hello);
        });
        Receive<BatchDone>(done => dispatcher.Complete(Sender, done));
        Receive<ClusterEvent.UnreachableMember>(e =>
        {
            dispatcher.LoseNode(e.Member.Address);
            cluster.Down(e.Member.Address);
        });
        Receive<ClusterEvent.MemberRemoved>(e => dispatcher.LoseNode(e.Member.Address));
        Receive<Terminated>(t => dispatcher.LoseNode(t.ActorRef.Path.Address));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
}
