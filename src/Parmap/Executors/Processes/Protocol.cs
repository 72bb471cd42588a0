namespace Parmap.Executors.Processes;

/// <summary>The owner/worker protocol over the worker's pipes: frames (see <see cref="Remote.Frame"/>) whose body starts with a <see cref="MessageKind"/>.</summary>
internal static class Protocol
{
    /// <summary>Bumped whenever a message changes shape; owner and worker are the same build, so this only guards against garbage.</summary>
    public const int Version = 4;

    /// <summary>First value of the worker's Ready frame: tells a real worker from an app that wrote to stdout because its startup hook did not run.</summary>
    public const long Magic = 0x50_41_52_4D_41_50_57_4B; // "PARMAPWK"
}

/// <summary>Message kinds. Owner to worker below 10, worker to owner from 10.</summary>
internal enum MessageKind
{
    /// <summary>Owner: protocol version, expected build (MVIDs), settings, initializer, the position word's file.</summary>
    Hello = 1,

    /// <summary>Owner: function id, shape, packed function.</summary>
    Open = 2,

    /// <summary>Owner: batch id, function id, count, inputs.</summary>
    Batch = 3,

    /// <summary>Owner: batch id to stop after its current item.</summary>
    Cancel = 4,

    /// <summary>Owner: finish and exit.</summary>
    Shutdown = 5,

    /// <summary>Worker: magic, pid; it is ready for batches.</summary>
    Ready = 10,

    /// <summary>Worker: it refuses to run (different build, initializer failed); it exits after this.</summary>
    Refused = 11,

    /// <summary>Worker: the function could not be rebuilt.</summary>
    OpenFailed = 12,

    /// <summary>Worker: results of a batch (complete, cancelled part-way, or up to a timed-out item), with how long its items took and waited for a CPU.</summary>
    Result = 13,

    /// <summary>Worker: still alive, at this position of this batch (sent while an item timeout is set, and while the worker starts).</summary>
    Heartbeat = 14,

    /// <summary>Worker: the outcomes of positions [from, to) of a batch still running, sent as they finish (a crash then re-runs none of them).</summary>
    Partial = 15,
}


/// <summary>The process protocol's message kinds on the shared framing.</summary>
internal static class ProtocolFrames
{
    public static MessagePack.MessagePackWriter Begin(this Remote.FrameBuffer buffer, MessageKind kind) => buffer.Begin((int)kind);

    public static MessageKind KindOf(this Remote.Frame frame) => (MessageKind)frame.Kind;
}
