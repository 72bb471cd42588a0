using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using MessagePack;
using MessagePack.Formatters;

using Parmap.Serialization;

namespace Parmap.Remote;

/// <summary>
/// Writes and reads runs of values of one type: the inputs and results of batches that cross to a worker process or a
/// cluster node. Types without references (numbers, enums, plain structs) travel as raw bytes in one MessagePack bin
/// (both ends run the same build, so the layout is identical and the copy is exact); everything else goes through
/// MessagePack's contractless formatter one value at a time.
/// </summary>
/// <remarks>
/// Bulk first, one by one only when that fails: <see cref="ReadManyCarefully"/> and <see cref="FindUnwritable"/> find
/// the values that cannot cross, so that only their items fail.
/// </remarks>
internal abstract class Codec<T>
{
    public static Codec<T> Instance { get; } = Create();

    /// <summary>Writes values[start..start+count); positions where <paramref name="skip"/> holds an error (the item failed) are written as nil.</summary>
    public abstract void WriteMany(ref MessagePackWriter writer, T[] values, int start, int count, Exception?[]? skip);

    /// <summary>Reads what <see cref="WriteMany"/> wrote into values[start..start+count), leaving the skipped positions untouched.</summary>
    public abstract void ReadMany(ref MessagePackReader reader, T[] values, int start, int count, Exception?[]? skip);

    /// <summary>Writes one value (the careful path that finds which value fails).</summary>
    public abstract void WriteOne(ref MessagePackWriter writer, T value);

    /// <summary>Reads one value (the careful path).</summary>
    public abstract T ReadOne(ref MessagePackReader reader);

    /// <summary>True when a single value can fail to (de)serialize, so the careful path is worth taking.</summary>
    public abstract bool CanFailPerValue { get; }

    /// <summary>
    /// Reads what <see cref="WriteMany"/> wrote, in bulk; when a value does not deserialize, reads again value by value,
    /// leaving the bad ones unset and telling <paramref name="onBad"/> their position (relative to <paramref name="start"/>).
    /// </summary>
    public void ReadManyCarefully(ref MessagePackReader reader, T[] values, int start, int count, Exception?[]? skip, Action<int, MessagePackSerializationException> onBad)
    {
        var before = reader;
        try
        {
            ReadMany(ref reader, values, start, count, skip);
            return;
        }
        catch (MessagePackSerializationException) when (CanFailPerValue)
        {
            reader = before;
        }
        for (var i = 0; i < count; i++)
        {
            if (skip?[start + i] is not null)
            {
                reader.Skip();
                continue;
            }
            var at = reader;
            try
            {
                values[start + i] = ReadOne(ref reader);
            }
            catch (MessagePackSerializationException e)
            {
                reader = at;
                reader.Skip();
                onBad(i, e);
            }
        }
    }

    /// <summary>After a bulk write failed: the positions (relative to <paramref name="start"/>) of the values that cannot be written, with why.</summary>
    public List<(int Position, Exception Error)> FindUnwritable(T[] values, int start, int count, Exception?[]? skip)
    {
        var bad = new List<(int, Exception)>();
        var scratch = new ArrayBufferWriter<byte>();
        for (var i = 0; i < count; i++)
        {
            if (skip?[start + i] is not null)
            {
                continue;
            }
            scratch.ResetWrittenCount();
            var writer = new MessagePackWriter(scratch);
            try
            {
                WriteOne(ref writer, values[start + i]);
                writer.Flush();
            }
            catch (Exception e) when (e is MessagePackSerializationException or InvalidOperationException or NotSupportedException or ArgumentException)
            {
                bad.Add((i, e));
            }
        }
        return bad;
    }

    private static Codec<T> Create() =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new FormatterCodec() : new BlittableCodec();

    private sealed class BlittableCodec : Codec<T>
    {
        public override bool CanFailPerValue => false;

        public override void WriteMany(ref MessagePackWriter writer, T[] values, int start, int count, Exception?[]? skip) =>
            writer.Write(Bytes(values, start, count));

        public override void ReadMany(ref MessagePackReader reader, T[] values, int start, int count, Exception?[]? skip)
        {
            var bytes = reader.ReadBytes() ?? throw new MessagePackSerializationException("Expected a block of values, found nil.");
            var target = Bytes(values, start, count);
            if (bytes.Length != target.Length)
            {
                throw new MessagePackSerializationException($"Expected {target.Length} bytes of {typeof(T).Name} values, found {bytes.Length}.");
            }
            bytes.CopyTo(target);
        }

        public override void WriteOne(ref MessagePackWriter writer, T value) =>
            writer.Write(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref value), Unsafe.SizeOf<T>()));

        public override T ReadOne(ref MessagePackReader reader)
        {
            var value = default(T)!;
            var bytes = reader.ReadBytes() ?? throw new MessagePackSerializationException("Expected a value, found nil.");
            var target = MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref value), Unsafe.SizeOf<T>());
            if (bytes.Length != target.Length)
            {
                throw new MessagePackSerializationException($"Expected {target.Length} bytes for a {typeof(T).Name}, found {bytes.Length}.");
            }
            bytes.CopyTo(target);
            return value;
        }
    }

    /// <summary>The bytes of values[start..start+count); only called for types without references.</summary>
    private static Span<byte> Bytes(T[] values, int start, int count) =>
        count == 0 ? [] : MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref values[start]), checked(count * Unsafe.SizeOf<T>()));

    private sealed class FormatterCodec : Codec<T>
    {
        private readonly IMessagePackFormatter<T> _formatter = ParmapResolver.Options.Resolver.GetFormatterWithVerify<T>();

        public override bool CanFailPerValue => true;

        public override void WriteMany(ref MessagePackWriter writer, T[] values, int start, int count, Exception?[]? skip)
        {
            var options = ParmapResolver.Options;
            for (var i = 0; i < count; i++)
            {
                if (skip?[start + i] is not null)
                {
                    writer.WriteNil();
                }
                else
                {
                    _formatter.Serialize(ref writer, values[start + i], options);
                }
            }
        }

        public override void ReadMany(ref MessagePackReader reader, T[] values, int start, int count, Exception?[]? skip)
        {
            var options = ParmapResolver.Options;
            for (var i = 0; i < count; i++)
            {
                if (skip?[start + i] is not null)
                {
                    reader.Skip();
                }
                else
                {
                    values[start + i] = _formatter.Deserialize(ref reader, options);
                }
            }
        }

        public override void WriteOne(ref MessagePackWriter writer, T value) => _formatter.Serialize(ref writer, value, ParmapResolver.Options);

        public override T ReadOne(ref MessagePackReader reader) => _formatter.Deserialize(ref reader, ParmapResolver.Options);
    }
}
