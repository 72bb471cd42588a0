using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

using MessagePack;

namespace Parmap.Shipping;

internal sealed partial class PayloadWriter
{
    private static void WriteLeaf(ref MessagePackWriter writer, object value, Type type)
    {
        if (type.IsEnum)
        {
            if (Type.GetTypeCode(type) is TypeCode.UInt64 or TypeCode.UInt32 or TypeCode.UInt16 or TypeCode.Byte)
            {
                writer.Write(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
            }
            else
            {
                writer.Write(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            }
            return;
        }
        switch (value)
        {
            case bool v: writer.Write(v); break;
            case char v: writer.Write(v); break;
            case sbyte v: writer.Write(v); break;
            case byte v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case ushort v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case ulong v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case string v: writer.Write(v); break;
            case decimal v:
                Span<int> bits = stackalloc int[4];
                decimal.GetBits(v, bits);
                writer.WriteArrayHeader(4);
                foreach (var part in bits)
                {
                    writer.Write(part);
                }
                break;
            case DateTime v:
                writer.WriteArrayHeader(2);
                writer.Write(v.Ticks);
                writer.Write((int)v.Kind);
                break;
            case DateTimeOffset v:
                writer.WriteArrayHeader(2);
                writer.Write(v.Ticks);
                writer.Write(v.Offset.Ticks);
                break;
            case TimeSpan v: writer.Write(v.Ticks); break;
            case DateOnly v: writer.Write(v.DayNumber); break;
            case TimeOnly v: writer.Write(v.Ticks); break;
            case Guid v:
                writer.Write(v.ToByteArray());
                break;
            case Half v: writer.Write(BitConverter.HalfToUInt16Bits(v)); break;
            case Int128 v:
                writer.WriteArrayHeader(2);
                writer.Write((ulong)(v >> 64));
                writer.Write((ulong)v);
                break;
            case UInt128 v:
                writer.WriteArrayHeader(2);
                writer.Write((ulong)(v >> 64));
                writer.Write((ulong)v);
                break;
            case BigInteger v: writer.Write(v.ToByteArray()); break;
            case Complex v:
                writer.WriteArrayHeader(2);
                writer.Write(v.Real);
                writer.Write(v.Imaginary);
                break;
            case Uri v: writer.Write(v.OriginalString); break;
            case Version v: writer.Write(v.ToString()); break;
            default: throw new InvalidOperationException($"No leaf encoding for {type}.");
        }
    }

    private void WriteArray(ref MessagePackWriter writer, Array array, Type type)
    {
        var element = type.GetElementType()!;
        if (!type.IsSZArray)
        {
            writer.WriteArrayHeader(3);
            writer.WriteArrayHeader(array.Rank);
            for (var dimension = 0; dimension < array.Rank; dimension++)
            {
                writer.Write(array.GetLength(dimension));
            }
            writer.WriteArrayHeader(array.Rank);
            for (var dimension = 0; dimension < array.Rank; dimension++)
            {
                writer.Write(array.GetLowerBound(dimension));
            }
        }
        if (ValueKinds.IsBlittable(element))
        {
            // Same machine or same architecture on both ends: the bytes are the values.
            writer.Write(MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), Buffer.ByteLength(array)));
            return;
        }
        writer.WriteArrayHeader(array.Length);
        long index = 0;
        foreach (var item in array)
        {
            _path.PushIndex(index++);
            WriteValue(ref writer, item, element);
            _path.Pop();
        }
    }

    private void WriteCollection(ref MessagePackWriter writer, object collection, Type type)
    {
        var kind = ValueKinds.Collection(type);
        var arguments = type.GetGenericArguments();
        writer.WriteArrayHeader(2);
        WriteComparer(ref writer, collection, type, kind, arguments[0]);
        if (collection is IDictionary dictionary)
        {
            writer.WriteArrayHeader(dictionary.Count * 2);
            long index = 0;
            foreach (DictionaryEntry entry in dictionary)
            {
                _path.Push("Keys");
                _path.PushIndex(index++);
                WriteValue(ref writer, entry.Key, arguments[0]);
                _path.Pop(2);
                _path.PushKey(KeyText(entry.Key));
                WriteValue(ref writer, entry.Value, arguments[1]);
                _path.Pop();
            }
            return;
        }
        var items = ((IEnumerable)collection).Cast<object?>().ToList();
        writer.WriteArrayHeader(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            _path.PushIndex(i);
            WriteValue(ref writer, items[i], arguments[0]);
            _path.Pop();
        }
    }

    /// <summary>nil for the default comparer, 1-4 for the invariant StringComparers, or the comparer object itself (your own class).</summary>
    private void WriteComparer(ref MessagePackWriter writer, object collection, Type type, CollectionKind kind, Type key)
    {
        if (kind is CollectionKind.List or CollectionKind.Queue or CollectionKind.Stack or CollectionKind.LinkedList)
        {
            writer.WriteNil();
            return;
        }
        var comparer = type.GetProperty("Comparer")!.GetValue(collection);
        var sorted = kind is CollectionKind.SortedDictionary or CollectionKind.SortedList or CollectionKind.SortedSet;
        var fallback = (sorted ? typeof(Comparer<>) : typeof(EqualityComparer<>)).MakeGenericType(key).GetProperty("Default")!.GetValue(null);
        if (comparer is null || comparer.Equals(fallback))
        {
            writer.WriteNil();
            return;
        }
        var code = Array.FindIndex(StringComparers, c => c.Equals(comparer));
        if (code >= 0)
        {
            writer.Write(code + 1);
            return;
        }
        if (ValueKinds.IsFramework(comparer.GetType().Assembly))
        {
            Refuse(ref writer, type, Refusals.Comparer(comparer.GetType()));
            return;
        }
        _path.Push("Comparer");
        WriteValue(ref writer, comparer, typeof(object));
        _path.Pop();
    }

    /// <summary>The comparers a collection may use that travel as a code (index + 1).</summary>
    internal static StringComparer[] StringComparers { get; } =
        [StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase, StringComparer.InvariantCulture, StringComparer.InvariantCultureIgnoreCase];

    private static string KeyText(object? key)
    {
        var text = key switch
        {
            string s => $"\"{s}\"",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => "…",
        };
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
    }
}
