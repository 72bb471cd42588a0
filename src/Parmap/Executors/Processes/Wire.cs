using System.Buffers;
using System.Buffers.Binary;

using MessagePack;

using Parmap.Serialization;

namespace Parmap.Executors.Processes;

/// <summary>
/// The owner/worker protocol: length-prefixed frames (4-byte little-endian body length, then a MessagePack body
/// that starts with a <see cref="MessageKind"/>). Each side writes whole frames under a lock, so frames never interleave.
/// </summary>
internal static class Wire
{
    /// <summary>Bumped whenever a message changes shape; owner and worker are the same build, so this only guards against garbage.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>First value of the worker's Ready frame: tells a real worker from an app that wrote to stdout because its startup hook did not run.</summary>
    public const long Magic = 0x50_41_52_4D_41_50_57_4B; // "PARMAPWK"

    /// <summary>Largest frame accepted; anything bigger is garbage on the pipe, not a message.</summary>
    public const int MaxFrame = 1 << 30;

    /// <summary>Contractless, private members allowed: records, POCOs and nested private types work without attributes.</summary>
    public static MessagePackSerializerOptions Options => ParmapResolver.Options;

    /// <summary>Reads one frame body into a pooled buffer (blocking); returns null on a clean end of stream before a frame starts.</summary>
    public static Frame? ReadFrame(Stream stream, byte[] header)
    {
        var got = stream.ReadAtLeast(header.AsSpan(0, 4), 4, throwOnEndOfStream: false);
        if (got == 0)
        {
            return null;
        }
        if (got < 4)
        {
            throw new EndOfStreamException("The stream ended inside a frame header.");
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || length > MaxFrame)
        {
            throw new InvalidDataException($"Bad frame length {length}: the other side wrote something that is not a Parmap frame.");
        }
        var body = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.ReadExactly(body.AsSpan(0, length));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(body);
            throw;
        }
        return new Frame(body, length);
    }
}

/// <summary>Message kinds. Owner to worker below 10, worker to owner from 10.</summary>
internal enum MessageKind
{
    /// <summary>Owner: protocol version, expected build (MVIDs), settings, initializer.</summary>
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

    /// <summary>Worker: results of a batch (complete, cancelled part-way, or up to a timed-out item).</summary>
    Result = 13,

    /// <summary>Worker: still alive, at this position of this batch (only sent when an item timeout is set).</summary>
    Heartbeat = 14,
}

/// <summary>A received frame body in a pooled buffer; <see cref="Dispose"/> returns the buffer.</summary>
internal sealed class Frame(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public int Length { get; } = length;

    public ReadOnlyMemory<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(Frame))).AsMemory(0, Length);

    public MessagePackReader Reader() => new(Body);

    public MessageKind Kind
    {
        get
        {
            var reader = Reader();
            return (MessageKind)reader.ReadInt32();
        }
    }

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null)
        {
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}

/// <summary>
/// A growable buffer that holds one outgoing frame: 4 bytes reserved for the length, then the body written through
/// <see cref="MessagePackWriter"/>. Reused for every frame of one connection, so steady-state sends allocate nothing.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[4096];
    private int _length;

    /// <summary>Bytes written so far, header included.</summary>
    public int Position => _length;

    /// <summary>Starts a new frame and returns a writer positioned after the length header.</summary>
    public MessagePackWriter Begin(MessageKind kind)
    {
        _length = 4;
        var writer = new MessagePackWriter(this);
        writer.Write((int)kind);
        return writer;
    }

    /// <summary>Flushes <paramref name="writer"/>, writes the length header and returns the whole frame.</summary>
    public ReadOnlyMemory<byte> End(ref MessagePackWriter writer)
    {
        writer.Flush();
        BinaryPrimitives.WriteInt32LittleEndian(_buffer, _length - 4);
        return _buffer.AsMemory(0, _length);
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    private void Ensure(int sizeHint)
    {
        var need = _length + Math.Max(sizeHint, 256);
        if (need > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max(need, (long)_buffer.Length * 2)));
        }
    }
}
