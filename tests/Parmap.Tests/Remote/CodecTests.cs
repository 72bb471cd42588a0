using System.Buffers;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using MessagePack;

using Parmap.Remote;

namespace Parmap.Tests.Remote;

public class CodecTests
{
    [Property(MaxTest = 200)]
    public Property WriteManyReadMany_Doubles_BitIdentical(double[] values) => RoundTrips(values).ToProperty();

    [Property(MaxTest = 200)]
    public Property WriteManyReadMany_Structs_Identical(int[] a, long b) =>
        RoundTrips(a.Select(x => new Pair(x, b ^ x)).ToArray()).ToProperty();

    [Property(MaxTest = 200)]
    public Property WriteManyReadMany_StringsAndRecords_Equal(string?[] names) =>
        (RoundTrips(names) && RoundTrips(names.Select((n, i) => new Named(n ?? "", i, [i, -i])).ToArray())).ToProperty();

    [Property(MaxTest = 100)]
    public Property WriteMany_SkippedPositions_ReadBackUntouched(NonEmptyArray<string> values, PositiveInt every)
    {
        // Given values where every k-th position failed (its error is set), written with those positions skipped
        var items = values.Get;
        var skip = items.Select((_, i) => i % every.Get == 0 ? new InvalidOperationException() : null).ToArray<Exception?>();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Codec<string>.Instance.WriteMany(ref writer, items, 0, items.Length, skip);
        writer.Flush();

        // When read into an array holding markers, then the skipped positions keep their markers
        var read = Enumerable.Repeat("marker", items.Length).ToArray();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        Codec<string>.Instance.ReadMany(ref reader, read, 0, items.Length, skip);
        return items.Select((v, i) => skip[i] is null ? read[i] == v : read[i] == "marker").All(x => x).ToProperty();
    }

    [Fact]
    public void ReadManyCarefully_OneValueDoesNotDeserialize_OnlyThatOneReported()
    {
        // Given three values where the middle one is not a string (a number in its place)
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.Write("a");
        writer.Write(5);
        writer.Write("c");
        writer.Flush();

        // When read as strings in bulk
        var values = new string[3];
        var reader = new MessagePackReader(buffer.WrittenMemory);
        var bad = new List<int>();
        Codec<string>.Instance.ReadManyCarefully(ref reader, values, 0, 3, null, (p, _) => bad.Add(p));

        // Then only position 1 is reported, the others are read, and the reader is past all three
        Assert.Equal([1], bad);
        Assert.Equal("a", values[0]);
        Assert.Equal("c", values[2]);
        Assert.True(reader.End);
    }

    [Fact]
    public void FindUnwritable_ValueWhoseGetterThrows_NamesItsPosition()
    {
        var values = new Holder[] { new(1), new(-1), new(3) };

        var bad = Codec<Holder>.Instance.FindUnwritable(values, 0, 3, null);

        Assert.Equal(1, Assert.Single(bad).Position);
    }

    private static bool RoundTrips<T>(T[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Codec<T>.Instance.WriteMany(ref writer, values, 0, values.Length, null);
        writer.Flush();
        var read = new T[values.Length + 2];
        var reader = new MessagePackReader(buffer.WrittenMemory);
        Codec<T>.Instance.ReadMany(ref reader, read, 1, values.Length, null);
        return reader.End && values.Select((v, i) => EqualityComparer<T>.Default.Equals(v, read[i + 1]) || (v is double d && double.IsNaN(d) && read[i + 1] is double e && BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(e))).All(x => x);
    }

    public readonly record struct Pair(int A, long B);

    public sealed record Named(string Name, int Index, int[] Data)
    {
        public bool Equals(Named? other) => other is not null && other.Name == Name && other.Index == Index && other.Data.SequenceEqual(Data);

        public override int GetHashCode() => HashCode.Combine(Name, Index);
    }

    public sealed class Holder(int id)
    {
        public int Id => id >= 0 ? id : throw new InvalidOperationException("negative ids cannot be written");
    }
}
