using System.Buffers;
using System.Buffers.Binary;

using MessagePack;

namespace Parmap.Remote;

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
    public MessagePackWriter Begin(int kind)
    {
        _length = 4;
        var writer = new MessagePackWriter(this);
        writer.Write(kind);
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
