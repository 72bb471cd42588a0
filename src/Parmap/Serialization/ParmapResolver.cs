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

    private ParmapResolver()
    {
    }

    /// <summary>Options with this resolver and MessagePack's defaults otherwise.</summary>
    public static MessagePackSerializerOptions Options { get; } = new(Instance);

    /// <summary>The types answered without the contractless resolver.</summary>
    internal static IReadOnlyList<Type> PrimitiveTypes { get; } =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long),
        typeof(ulong), typeof(float), typeof(double), typeof(char), typeof(string), typeof(byte[]),
        typeof(int[]), typeof(long[]), typeof(float[]), typeof(double[]), typeof(bool[]), typeof(string[]),
    ];

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static object? Primitive(Type type) =>
        type == typeof(int) ? Int32Formatter.Instance
        : type == typeof(long) ? Int64Formatter.Instance
        : type == typeof(double) ? DoubleFormatter.Instance
        : type == typeof(float) ? SingleFormatter.Instance
        : type == typeof(bool) ? BooleanFormatter.Instance
        : type == typeof(string) ? NullableStringFormatter.Instance
        : type == typeof(byte) ? ByteFormatter.Instance
        : type == typeof(sbyte) ? SByteFormatter.Instance
        : type == typeof(short) ? Int16Formatter.Instance
        : type == typeof(ushort) ? UInt16Formatter.Instance
        : type == typeof(uint) ? UInt32Formatter.Instance
        : type == typeof(ulong) ? UInt64Formatter.Instance
        : type == typeof(char) ? CharFormatter.Instance
        : type == typeof(byte[]) ? ByteArrayFormatter.Instance
        : type == typeof(int[]) ? Int32ArrayFormatter.Instance
        : type == typeof(long[]) ? Int64ArrayFormatter.Instance
        : type == typeof(float[]) ? SingleArrayFormatter.Instance
        : type == typeof(double[]) ? DoubleArrayFormatter.Instance
        : type == typeof(bool[]) ? BooleanArrayFormatter.Instance
        : type == typeof(string[]) ? NullableStringArrayFormatter.Instance
        : null;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter =
            (IMessagePackFormatter<T>?)Primitive(typeof(T)) ?? ContractlessStandardResolverAllowPrivate.Instance.GetFormatter<T>();
    }
}
