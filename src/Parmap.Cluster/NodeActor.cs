using Akka.Actor;
using Akka.Cluster;

namespace Parmap.Cluster;

/// <summary>
/// A node's actor: says hello to the driver once this node is up, hands batches to the <see cref="NodeWorkers"/>, and
/// ends the node when the driver is refused, unreachable or removed, or this node is removed.
/// </summary>
internal sealed class NodeActor : ReceiveActor, IWithTimers
{
    public NodeActor(Address driver, int cores, NodeWorkers workers, TaskCompletionSource<(int Code, string Reason)> exit)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        var up = false;
        var welcomed = false;
        void Greet()
        {
            Context.ActorSelection(new RootActorPath(driver) / "user" / ClusterJob.DriverActor)
                .Tell(new NodeHello(BuildIdentity.Current, BuildIdentity.EntryName, cores, Environment.ProcessId, Environment.MachineName));
        }
        void OnUp(Member member)
        {
            // Up, or weakly up (while the cluster cannot converge: a lost node not removed yet, e.g. this node's
            // previous incarnation on the same address): either way the driver can take this node now. The hello is
            // repeated every second until the driver answers: a first one (or its answer) can be dropped while the
            // driver's link to this address is still gated after the previous incarnation's death.
            if (!up && member.Address.Equals(cluster.SelfAddress))
            {
                up = true;
                Greet();
                Timers.StartPeriodicTimer("greet", GreetAgain.Instance, TimeSpan.FromSeconds(1));
            }
        }
        Receive<ClusterEvent.MemberUp>(e => OnUp(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => OnUp(e.Member));
        Receive<GreetAgain>(_ =>
        {
            if (!welcomed)
            {
                Greet();
            }
        });
        Receive<NodeWelcome>(w =>
        {
            if (welcomed)
            {
                return;
            }
            welcomed = true;
            Timers.Cancel("greet");
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

    /// <summary>The actor's timers (set by Akka).</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The timer's message: say hello again (until welcomed).</summary>
    private sealed class GreetAgain
    {
        public static readonly GreetAgain Instance = new();
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
}
