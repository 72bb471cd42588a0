using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using MessagePack;
using MessagePack.Formatters;

namespace Parmap.Executors.Processes;

/// <summary>
/// Writes and reads runs of values of one type. Types without references (numbers, enums, plain structs) travel as raw
/// bytes in one MessagePack bin (owner and worker are the same build on the same machine, so the layout is identical
/// and the copy is exact); everything else goes through MessagePack's contractless formatter one value at a time.
/// </summary>
internal abstract class Codec<T>
{
    public static Codec<T> Instance { get; } = Create();

    /// <summary>Writes values[start..start+count); <paramref name="skip"/> marks positions (relative to start) to write as nil.</summary>
    public abstract void WriteMany(ref MessagePackWriter writer, T[] values, int start, int count, bool[]? skip);

    /// <summary>Reads what <see cref="WriteMany"/> wrote into values[start..start+count), leaving skipped positions untouched.</summary>
    public abstract void ReadMany(ref MessagePackReader reader, T[] values, int start, int count, bool[]? skip);

    /// <summary>Writes one value (the careful path that finds which value fails).</summary>
    public abstract void WriteOne(ref MessagePackWriter writer, T value);

    /// <summary>Reads one value (the careful path).</summary>
    public abstract T ReadOne(ref MessagePackReader reader);

    /// <summary>True when a single value can fail to (de)serialize, so the careful path is worth taking.</summary>
    public abstract bool CanFailPerValue { get; }

    private static Codec<T> Create() =>
        RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new FormatterCodec() : new BlittableCodec();

    private sealed class BlittableCodec : Codec<T>
    {
        public override bool CanFailPerValue => false;

        public override void WriteMany(ref MessagePackWriter writer, T[] values, int start, int count, bool[]? skip) =>
            writer.Write(Bytes(values, start, count));

        public override void ReadMany(ref MessagePackReader reader, T[] values, int start, int count, bool[]? skip)
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
        private readonly IMessagePackFormatter<T> _formatter = Wire.Options.Resolver.GetFormatterWithVerify<T>();

        public override bool CanFailPerValue => true;

        public override void WriteMany(ref MessagePackWriter writer, T[] values, int start, int count, bool[]? skip)
        {
            var options = Wire.Options;
            for (var i = 0; i < count; i++)
            {
                if (skip is not null && skip[i])
                {
                    writer.WriteNil();
                }
                else
                {
                    _formatter.Serialize(ref writer, values[start + i], options);
                }
            }
        }

        public override void ReadMany(ref MessagePackReader reader, T[] values, int start, int count, bool[]? skip)
        {
            var options = Wire.Options;
            for (var i = 0; i < count; i++)
            {
                if (skip is not null && skip[i])
                {
                    reader.Skip();
                }
                else
                {
                    values[start + i] = _formatter.Deserialize(ref reader, options);
                }
            }
        }

        public override void WriteOne(ref MessagePackWriter writer, T value) => _formatter.Serialize(ref writer, value, Wire.Options);

        public override T ReadOne(ref MessagePackReader reader) => _formatter.Deserialize(ref reader, Wire.Options);
    }
}
