using System.Globalization;
using System.Security.Cryptography.X509Certificates;

using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace Parmap.Cluster;

/// <summary>
/// The Akka configuration of the driver and its nodes: cluster provider, TLS on the DotNetty transport with the job's
/// certificate on both ends and the peer pinned to its thumbprint (mutual authentication; a plaintext or stranger peer
/// cannot connect), Parmap's MessagePack serializer for its messages, a failure detector tuned to
/// <see cref="ClusterOptions.NodeSilenceLimit"/>, and the split-brain resolver keeping the oldest member (the driver,
/// which joins first) even when it is alone, so that the driver is never downed.
/// </summary>
internal static class ClusterConfig
{
    public static ActorSystemSetup Setup(string host, int port, TimeSpan silenceLimit, X509Certificate2 certificate)
    {
        var pause = string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)silenceLimit.TotalMilliseconds)}ms");
        var messages = string.Join(Environment.NewLine, new[] { typeof(RunBatch), typeof(BatchDone), typeof(OpenFunction), typeof(CancelBatch), typeof(NodeHello), typeof(NodeWelcome), typeof(NodeRefused) }
            .Select(t => $"\"{t.FullName}, {t.Assembly.GetName().Name}\" = parmap"));
        // Akka's own log is off: a node that dies or leaves makes it print errors that are expected here (the driver reports
        // what matters). PARMAP_CLUSTER_LOGLEVEL (DEBUG, INFO, WARNING, ERROR) turns it on to diagnose a cluster.
        var level = Environment.GetEnvironmentVariable("PARMAP_CLUSTER_LOGLEVEL") is { Length: > 0 } l ? l : "OFF";
        var hocon = $$"""
            akka {
              loglevel = {{level}}
              stdout-loglevel = {{level}}
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor {
                provider = cluster
                serializers { parmap = "{{typeof(ParmapSerializer).FullName}}, {{typeof(ParmapSerializer).Assembly.GetName().Name}}" }
                serialization-bindings {
                  {{messages}}
                }
              }
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = "{{host}}"
                  port = {{port}}
                  enable-ssl = true
                  maximum-frame-size = 64MiB
                  send-buffer-size = 4MiB
                  receive-buffer-size = 4MiB
                  ssl {
                    suppress-validation = false
                    require-mutual-authentication = true
                  }
                }
                retry-gate-closed-for = 500ms
              }
              cluster {
                log-info = off
                # A node is Up (and gets work) after gossip and a leader action: at Akka's 1 s defaults a join took
                # ~3.5 s from the node's start here, ~2.3 s with these (gossip at 200 ms joined no faster and cost idle nodes CPU).
                gossip-interval = 500ms
                leader-actions-interval = 200ms
                periodic-tasks-initial-delay = 100ms
                failure-detector {
                  heartbeat-interval = 500ms
                  acceptable-heartbeat-pause = {{pause}}
                }
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-oldest
                  stable-after = 5s
                  keep-oldest { down-if-alone = off }
                }
                run-coordinated-shutdown-when-down = on
              }
              coordinated-shutdown.exit-clr = off
            }
            """;
        var ssl = new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
            customValidator: CertificateValidation.PinnedCertificate([certificate.Thumbprint]));
        return BootstrapSetup.Create().WithConfig(ConfigurationFactory.ParseString(hocon)).And(ssl);
    }
}
