using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using MessagePack;

namespace Parmap.Shipping;

internal sealed partial class PayloadReader
{
    private object? ReadValue(ref MessagePackReader reader, Type declared)
    {
        if (reader.TryReadNil())
        {
            return null;
        }
        RuntimeHelpers.EnsureSufficientExecutionStack();
        Type type;
        if (ValueKinds.IsExact(declared))
        {
            type = Nullable.GetUnderlyingType(declared) ?? declared;
        }
        else
        {
            Expect(ref reader, 2, "typed value");
            type = ReadType(ref reader);
            if (!declared.IsAssignableFrom(type))
            {
                throw new InvalidDataException($"A value of type {type} cannot be stored as {declared}.");
            }
        }
        return ValueKinds.Plan(type).Kind switch
        {
            ValueKind.Delegate => ReadDelegate(ref reader),
            ValueKind.Leaf => ReadLeaf(ref reader, type),
            ValueKind.Type => ReadType(ref reader),
            ValueKind.Array => ReadArray(ref reader, type),
            ValueKind.Collection => ReadCollection(ref reader, type),
            ValueKind.Fields => CreateFields(ref reader, type),
            _ => throw new InvalidDataException($"The payload holds a value of type {type}, which Parmap does not ship."),
        };
    }

    private static object ReadLeaf(ref MessagePackReader reader, Type type)
    {
        if (type.IsEnum)
        {
            return Type.GetTypeCode(type) is TypeCode.UInt64 or TypeCode.UInt32 or TypeCode.UInt16 or TypeCode.Byte
                ? Enum.ToObject(type, reader.ReadUInt64())
                : Enum.ToObject(type, reader.ReadInt64());
        }
        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Boolean: return reader.ReadBoolean();
            case TypeCode.Char: return reader.ReadChar();
            case TypeCode.SByte: return reader.ReadSByte();
            case TypeCode.Byte: return reader.ReadByte();
            case TypeCode.Int16: return reader.ReadInt16();
            case TypeCode.UInt16: return reader.ReadUInt16();
            case TypeCode.Int32: return reader.ReadInt32();
            case TypeCode.UInt32: return reader.ReadUInt32();
            case TypeCode.Int64: return reader.ReadInt64();
            case TypeCode.UInt64: return reader.ReadUInt64();
            case TypeCode.Single: return reader.ReadSingle();
            case TypeCode.Double: return reader.ReadDouble();
            case TypeCode.String: return reader.ReadString()!;
            case TypeCode.Decimal:
                Expect(ref reader, 4, "decimal");
                return new decimal([reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32()]);
            case TypeCode.DateTime:
                Expect(ref reader, 2, "DateTime");
                return new DateTime(reader.ReadInt64(), (DateTimeKind)reader.ReadInt32());
            default:
                break;
        }
        if (type == typeof(DateTimeOffset))
        {
            Expect(ref reader, 2, "DateTimeOffset");
            return new DateTimeOffset(reader.ReadInt64(), new TimeSpan(reader.ReadInt64()));
        }
        if (type == typeof(TimeSpan))
        {
            return new TimeSpan(reader.ReadInt64());
        }
        if (type == typeof(DateOnly))
        {
            return DateOnly.FromDayNumber(reader.ReadInt32());
        }
        if (type == typeof(TimeOnly))
        {
            return new TimeOnly(reader.ReadInt64());
        }
        if (type == typeof(Guid))
        {
            return new Guid(ReadByteArray(ref reader));
        }
        if (type == typeof(Half))
        {
            return BitConverter.UInt16BitsToHalf(reader.ReadUInt16());
        }
        if (type == typeof(Int128) || type == typeof(UInt128))
        {
            Expect(ref reader, 2, "128-bit integer");
            var upper = reader.ReadUInt64();
            var lower = reader.ReadUInt64();
            return type == typeof(Int128) ? new Int128(upper, lower) : new UInt128(upper, lower);
        }
        if (type == typeof(BigInteger))
        {
            return new BigInteger(ReadByteArray(ref reader));
        }
        if (type == typeof(Complex))
        {
            Expect(ref reader, 2, "Complex");
            return new Complex(reader.ReadDouble(), reader.ReadDouble());
        }
        if (type == typeof(Uri))
        {
            return new Uri(reader.ReadString()!, UriKind.RelativeOrAbsolute);
        }
        if (type == typeof(Version))
        {
            return Version.Parse(reader.ReadString()!);
        }
        throw new InvalidDataException($"No leaf encoding for {type}.");
    }

    private Array ReadArray(ref MessagePackReader reader, Type type)
    {
        var element = type.GetElementType()!;
        int[]? lengths = null;
        int[]? lowerBounds = null;
        if (!type.IsSZArray)
        {
            Expect(ref reader, 3, "multidimensional array");
            lengths = ReadInts(ref reader);
            lowerBounds = ReadInts(ref reader);
        }
        if (ValueKinds.IsBlittable(element))
        {
            var bytes = reader.ReadBytes()!.Value;
            var blittable = lengths is null
                ? Array.CreateInstance(element, checked((int)(bytes.Length / ValueKinds.BlittableSize(element))))
                : Array.CreateInstance(element, lengths, lowerBounds!);
            var target = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(blittable), Buffer.ByteLength(blittable));
            if (bytes.Length != target.Length)
            {
                throw new InvalidDataException($"An array of {element} has {bytes.Length} bytes for {target.Length}.");
            }
            System.Buffers.BuffersExtensions.CopyTo(bytes, target);
            return blittable;
        }
        var count = reader.ReadArrayHeader();
        var array = lengths is null ? Array.CreateInstance(element, count) : Array.CreateInstance(element, lengths, lowerBounds!);
        if (array.Length != count)
        {
            throw new InvalidDataException($"An array of {array.Length} elements holds {count} in the payload.");
        }
        var index = lowerBounds is null ? null : (int[])lowerBounds.Clone();
        for (var i = 0; i < count; i++)
        {
            var item = ReadValue(ref reader, element);
            if (index is null)
            {
                array.SetValue(item, i);
                continue;
            }
            array.SetValue(item, index);
            // Row-major order, the order in which the writer enumerated the array.
            for (var dimension = index.Length - 1; dimension >= 0; dimension--)
            {
                if (++index[dimension] < lowerBounds![dimension] + lengths![dimension])
                {
                    break;
                }
                index[dimension] = lowerBounds[dimension];
            }
        }
        return array;
    }

    private static int[] ReadInts(ref MessagePackReader reader)
    {
        var values = new int[reader.ReadArrayHeader()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadInt32();
        }
        return values;
    }

    private object ReadCollection(ref MessagePackReader reader, Type type)
    {
        var kind = ValueKinds.Collection(type);
        var arguments = type.GetGenericArguments();
        Expect(ref reader, 2, "collection");
        object? comparer = null;
        if (reader.NextMessagePackType == MessagePackType.Integer)
        {
            var code = reader.ReadInt32();
            comparer = code >= 1 && code <= PayloadWriter.StringComparers.Length
                ? PayloadWriter.StringComparers[code - 1]
                : throw new InvalidDataException($"Unknown comparer code {code}.");
        }
        else if (!reader.TryReadNil())
        {
            comparer = ReadValue(ref reader, typeof(object));
        }
        var collection = comparer is null ? Activator.CreateInstance(type)! : Activator.CreateInstance(type, comparer)!;
        var count = reader.ReadArrayHeader();
        if (collection is IDictionary dictionary)
        {
            for (var i = 0; i < count; i += 2)
            {
                var key = ReadValue(ref reader, arguments[0]);
                dictionary.Add(key!, ReadValue(ref reader, arguments[1]));
            }
            return collection;
        }
        var items = new object?[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = ReadValue(ref reader, arguments[0]);
        }
        var (name, reverse) = kind switch
        {
            CollectionKind.Queue => ("Enqueue", false),
            CollectionKind.Stack => ("Push", true),
            CollectionKind.LinkedList => ("AddLast", false),
            _ => ("Add", false),
        };
        var add = type.GetMethod(name, [arguments[0]])
            ?? throw new InvalidOperationException($"{type} has no {name}({arguments[0]}).");
        if (reverse)
        {
            Array.Reverse(items);
        }
        foreach (var item in items)
        {
            add.Invoke(collection, [item]);
        }
        return collection;
    }
}
