using System.Buffers;
using System.Buffers.Binary;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using MessagePack;

using Parmap.Remote;

namespace Parmap.Tests.Remote;

public class FrameTests
{
    [Property(MaxTest = 200)]
    public Property WriteThenRead_AnyFrames_SameKindsAndBodiesInOrder(NonEmptyArray<int> kinds, NonNegativeInt size)
    {
        // Given frames of any kinds, each with a body of its own size, written one after another to a stream
        var stream = new MemoryStream();
        var buffer = new FrameBuffer();
        var bodies = new List<byte[]>();
        foreach (var (kind, k) in kinds.Get.Select((kind, k) => (kind, k)))
        {
            var body = Enumerable.Range(0, (size.Get * (k + 1)) % 5000).Select(i => (byte)(i * 31 + k)).ToArray();
            bodies.Add(body);
            var writer = buffer.Begin(kind);
            writer.Write(body);
            stream.Write(buffer.End(ref writer).Span);
        }
        stream.Position = 0;

        // When they are read back, then each comes back whole, in order, and then the clean end of the stream
        var header = new byte[4];
        var ok = true;
        for (var k = 0; k < bodies.Count; k++)
        {
            using var frame = Frame.Read(stream, header)!;
            var reader = frame.Reader();
            ok &= frame.Kind == kinds.Get[k] && reader.ReadInt32() == kinds.Get[k] && reader.ReadBytes()!.Value.ToArray().SequenceEqual(bodies[k]);
        }
        return (ok && Frame.Read(stream, header) is null).ToProperty();
    }

    [Fact]
    public void Read_EmptyStream_NullMeansTheOtherSideIsGone()
    {
        Assert.Null(Frame.Read(new MemoryStream(), new byte[4]));
    }

    [Fact]
    public void Read_StreamEndsInsideHeader_EndOfStream()
    {
        Assert.Throws<EndOfStreamException>(() => Frame.Read(new MemoryStream([1, 0]), new byte[4]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(Frame.MaxLength + 1)]
    public void Read_BadLength_InvalidDataNamingIt(int length)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);

        var e = Assert.Throws<InvalidDataException>(() => Frame.Read(new MemoryStream(bytes), new byte[4]));

        Assert.Contains($"Bad frame length {length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StreamEndsInsideBody_EndOfStream()
    {
        var bytes = new byte[4 + 3];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 10);

        Assert.Throws<EndOfStreamException>(() => Frame.Read(new MemoryStream(bytes), new byte[4]));
    }
}
