using System.Buffers;
using System.Buffers.Binary;

using MessagePack;

namespace Parmap.Remote;

/// <summary>
/// Framing: a frame is a 4-byte little-endian body length, then a MessagePack body that starts with the message kind (an
/// int). Each side writes whole frames under a lock, so frames never interleave; a reader takes exactly one frame at a time.
/// </summary>
internal sealed class Frame(byte[] buffer, int length) : IDisposable
{
    /// <summary>Largest frame accepted; anything bigger is garbage on the pipe, not a message.</summary>
    public const int MaxLength = 1 << 30;

    private byte[]? _buffer = buffer;

    public int Length { get; } = length;

    public ReadOnlyMemory<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(Frame))).AsMemory(0, Length);

    public MessagePackReader Reader() => new(Body);

    /// <summary>The first value of the body: the message kind, by the convention of both Parmap protocols.</summary>
    public int Kind
    {
        get
        {
            var reader = Reader();
            return reader.ReadInt32();
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

    /// <summary>Reads one frame body into a pooled buffer (blocking); returns null on a clean end of stream before a frame starts.</summary>
    public static Frame? Read(Stream stream, byte[] header)
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
        if (length <= 0 || length > MaxLength)
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
