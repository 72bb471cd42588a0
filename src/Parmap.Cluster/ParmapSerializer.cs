using System.Buffers;

using Akka.Actor;
using Akka.Serialization;

using MessagePack;

namespace Parmap.Cluster;

/// <summary>
/// Akka serializer of Parmap's cluster messages, in MessagePack: registered for the types of Messages.cs in the
/// cluster's configuration, so that nothing on the hot path goes through Akka's default JSON serializer.
/// </summary>
internal sealed class ParmapSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The Akka serializer id (user serializers take ids above 100).</summary>
    public const int Id = 4711;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        RunBatch => "B",
        BatchDone => "D",
        OpenFunction => "O",
        CancelBatch => "C",
        NodeHello => "H",
        NodeWelcome => "W",
        NodeRefused => "R",
        _ => throw new ArgumentException($"ParmapSerializer cannot serialize {o.GetType()}.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new MessagePackWriter(buffer);
        switch (obj)
        {
            case RunBatch m:
                w.Write(m.BatchId);
                w.Write(m.FunctionId);
                w.Write(m.Count);
                w.Write(m.Inputs);
                break;
            case BatchDone m:
                w.Write(m.BatchId);
                w.Write(m.Results);
                w.Write(m.ItemTicks);
                w.Write(m.OpenError);
                break;
            case OpenFunction m:
                w.Write(m.FunctionId);
                w.Write(m.Shape);
                w.Write(m.Payload);
                break;
            case CancelBatch m:
                w.Write(m.BatchId);
                break;
            case NodeHello m:
                w.Write(m.BuildId);
                w.Write(m.EntryName);
                w.Write(m.Cores);
                w.Write(m.Pid);
                w.Write(m.Host);
                break;
            case NodeWelcome m:
                w.Write(m.NodeId);
                break;
            case NodeRefused m:
                w.Write(m.Message);
                break;
            default:
                throw new ArgumentException($"ParmapSerializer cannot serialize {obj.GetType()}.", nameof(obj));
        }
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var r = new MessagePackReader(bytes);
        return manifest switch
        {
            "B" => new RunBatch(r.ReadInt64(), r.ReadInt32(), r.ReadInt32(), Bytes(ref r)),
            "D" => new BatchDone(r.ReadInt64(), Bytes(ref r), r.ReadInt64(), r.ReadString()),
            "O" => new OpenFunction(r.ReadInt32(), r.ReadInt32(), Bytes(ref r)),
            "C" => new CancelBatch(r.ReadInt64()),
            "H" => new NodeHello(r.ReadString()!, r.ReadString()!, r.ReadInt32(), r.ReadInt32(), r.ReadString()!),
            "W" => new NodeWelcome(r.ReadInt32()),
            "R" => new NodeRefused(r.ReadString()!),
            _ => throw new System.Runtime.Serialization.SerializationException($"Unknown Parmap cluster message '{manifest}': the peer runs another version of Parmap.Cluster."),
        };
    }

    private static byte[] Bytes(ref MessagePackReader reader) => reader.ReadBytes()?.ToArray() ?? [];
}
