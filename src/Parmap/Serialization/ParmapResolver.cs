using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Parmap.Serialization;

/// <summary>
/// The MessagePack resolver of the journal and of the worker protocol: contractless, private types allowed (records,
/// tuples, plain classes and top-level programs' private types need no attributes).
/// </summary>
/// <remarks>
/// Common primitive types get their built-in formatter directly. Asking the contractless resolver first costs about
/// 30 ms once per process (it builds every built-in formatter and its dynamic resolvers), which a journaled map of
/// numbers, or a worker process, would pay before its first item. The formatters are the same ones the contractless
/// resolver returns for these types (a test checks it), so the bytes, and the journal keys hashed from them, are too.
/// </remarks>
internal sealed class ParmapResolver : IFormatterResolver
{
    public static readonly ParmapResolver Instance = new();

    /// <summary>The built-in formatters of the types answered without the contractless resolver.</summary>
    private static readonly Dictionary<Type, object> s_primitives = new()
    {
        [typeof(bool)] = BooleanFormatter.Instance,
        [typeof(byte)] = ByteFormatter.Instance,
        [typeof(sbyte)] = SByteFormatter.Instance,
        [typeof(short)] = Int16Formatter.Instance,
        [typeof(ushort)] = UInt16Formatter.Instance,
        [typeof(int)] = Int32Formatter.Instance,
        [typeof(uint)] = UInt32Formatter.Instance,
        [typeof(long)] = Int64Formatter.Instance,
        [typeof(ulong)] = UInt64Formatter.Instance,
        [typeof(float)] = SingleFormatter.Instance,
        [typeof(double)] = DoubleFormatter.Instance,
        [typeof(char)] = CharFormatter.Instance,
        [typeof(string)] = NullableStringFormatter.Instance,
        [typeof(byte[])] = ByteArrayFormatter.Instance,
        [typeof(int[])] = Int32ArrayFormatter.Instance,
        [typeof(long[])] = Int64ArrayFormatter.Instance,
        [typeof(float[])] = SingleArrayFormatter.Instance,
        [typeof(double[])] = DoubleArrayFormatter.Instance,
        [typeof(bool[])] = BooleanArrayFormatter.Instance,
        [typeof(string[])] = NullableStringArrayFormatter.Instance,
    };

    private ParmapResolver()
    {
    }

    /// <summary>Options with this resolver and MessagePack's defaults otherwise.</summary>
    public static MessagePackSerializerOptions Options { get; } = new(Instance);

    /// <summary>The types answered without the contractless resolver.</summary>
    internal static IReadOnlyCollection<Type> PrimitiveTypes => s_primitives.Keys;

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter =
            (IMessagePackFormatter<T>?)s_primitives.GetValueOrDefault(typeof(T)) ?? ContractlessStandardResolverAllowPrivate.Instance.GetFormatter<T>();
    }
}
