using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;

namespace Parmap.Shipping;

/// <summary>How a value of a given runtime type travels. The writer and the reader both classify from the type alone.</summary>
internal enum ValueKind
{
    Unsupported,
    Delegate,
    Leaf,
    Type,
    Array,
    Collection,
    Fields,
}

/// <summary>The framework collections Parmap copies element by element (their internals, such as hash codes, are per-process).</summary>
internal enum CollectionKind
{
    None,
    List,
    Dictionary,
    SortedDictionary,
    SortedList,
    HashSet,
    SortedSet,
    Queue,
    Stack,
    LinkedList,
}

/// <summary>Everything the writer and reader need to know about a runtime type, computed once per type.</summary>
/// <param name="Kind">How its values travel.</param>
/// <param name="Refusal">Why its values cannot travel at all, or null.</param>
/// <param name="IsClosure">A compiler-generated closure class: ships only the fields the functions read, once per object.</param>
internal sealed record TypePlan(ValueKind Kind, Refusal? Refusal, bool IsClosure);

/// <summary>Classifies types for shipping, and lists the fields Parmap copies for a class or struct.</summary>
internal static class ValueKinds
{
    private static readonly ConcurrentDictionary<Type, FieldInfo[][]> s_layouts = new();
    private static readonly ConcurrentDictionary<Type, TypePlan> s_plans = new();
    private static readonly ConcurrentDictionary<Assembly, bool> s_framework = new();
    private static readonly string s_frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";

    private static readonly HashSet<Type> s_leaves =
    [
        typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(DateOnly), typeof(TimeOnly),
        typeof(Guid), typeof(Half), typeof(Int128), typeof(UInt128), typeof(BigInteger), typeof(Complex), typeof(Uri), typeof(Version),
    ];

    /// <summary>The plan for values whose runtime type is <paramref name="type"/>.</summary>
    public static TypePlan Plan(Type type)
    {
        return s_plans.GetOrAdd(type, static t => new TypePlan(Classify(t), Refusals.For(t), TypeNames.IsClosure(t) && !t.IsValueType));
    }

    private static ValueKind Classify(Type type)
    {
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return ValueKind.Delegate;
        }
        if (IsLeaf(type))
        {
            return ValueKind.Leaf;
        }
        if (typeof(Type).IsAssignableFrom(type))
        {
            return ValueKind.Type;
        }
        if (type.IsArray)
        {
            return ValueKind.Array;
        }
        if (Collection(type) != CollectionKind.None)
        {
            return ValueKind.Collection;
        }
        if (type.IsPointer || type.IsByRef || type.IsFunctionPointer || type == typeof(IntPtr) || type == typeof(UIntPtr))
        {
            return ValueKind.Unsupported;
        }
        // Closures, anonymous types and collection-expression types are plain data wherever the compiler put them.
        if (!IsFramework(type.Assembly) || type.IsValueType || type == typeof(object) || TypeNames.IsCompilerGenerated(type)
            || (type.IsGenericType && type.GetGenericTypeDefinition().FullName!.StartsWith("System.Tuple`", StringComparison.Ordinal)))
        {
            return ValueKind.Fields;
        }
        return ValueKind.Unsupported;
    }

    /// <summary>Numbers, text, dates and the like: written as one MessagePack value.</summary>
    public static bool IsLeaf(Type type)
    {
        return (type.IsPrimitive && type != typeof(IntPtr) && type != typeof(UIntPtr)) || type.IsEnum || s_leaves.Contains(type);
    }

    /// <summary>
    /// True when a value stored under <paramref name="declared"/> always has exactly that runtime type (or its underlying type
    /// for <see cref="Nullable{T}"/>), so no type name needs to travel with it.
    /// </summary>
    public static bool IsExact(Type declared)
    {
        if (declared.IsArray)
        {
            // Array covariance: an object[] field may hold a string[].
            return IsExact(declared.GetElementType()!);
        }
        return declared.IsValueType || declared.IsSealed;
    }

    /// <summary>Arrays of these element types travel as raw bytes.</summary>
    public static bool IsBlittable(Type element)
    {
        return (element.IsPrimitive && element != typeof(IntPtr) && element != typeof(UIntPtr)) || element.IsEnum;
    }

    /// <summary>Size in bytes of a <see cref="IsBlittable"/> element.</summary>
    public static int BlittableSize(Type element)
    {
        return Type.GetTypeCode(element) switch
        {
            TypeCode.Boolean or TypeCode.SByte or TypeCode.Byte => 1,
            TypeCode.Char or TypeCode.Int16 or TypeCode.UInt16 => 2,
            TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Single => 4,
            TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Double => 8,
            _ => throw new ArgumentOutOfRangeException(nameof(element), element, "Not a blittable element type."),
        };
    }

    public static CollectionKind Collection(Type type)
    {
        if (!type.IsGenericType || type.IsGenericTypeDefinition)
        {
            return CollectionKind.None;
        }
        var definition = type.GetGenericTypeDefinition();
        return definition switch
        {
            _ when definition == typeof(List<>) => CollectionKind.List,
            _ when definition == typeof(Dictionary<,>) => CollectionKind.Dictionary,
            _ when definition == typeof(SortedDictionary<,>) => CollectionKind.SortedDictionary,
            _ when definition == typeof(SortedList<,>) => CollectionKind.SortedList,
            _ when definition == typeof(HashSet<>) => CollectionKind.HashSet,
            _ when definition == typeof(SortedSet<>) => CollectionKind.SortedSet,
            _ when definition == typeof(Queue<>) => CollectionKind.Queue,
            _ when definition == typeof(Stack<>) => CollectionKind.Stack,
            _ when definition == typeof(LinkedList<>) => CollectionKind.LinkedList,
            _ => CollectionKind.None,
        };
    }

    /// <summary>True for assemblies of the .NET runtime and of Microsoft's libraries, whose internals Parmap does not copy.</summary>
    public static bool IsFramework(Assembly assembly)
    {
        return s_framework.GetOrAdd(assembly, static a => IsFrameworkUncached(a));
    }

    private static bool IsFrameworkUncached(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? "";
        return name is "System" or "mscorlib" or "netstandard"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || (!assembly.IsDynamic && assembly.Location.Length > 0 && Path.GetDirectoryName(assembly.Location) == s_frameworkDirectory);
    }

    /// <summary>
    /// The instance fields Parmap copies for a class or struct, one array per level of the class hierarchy (most derived first),
    /// each in declaration order; fields marked [NonSerialized] are left out. Null when the type derives from a framework class
    /// (other than object), whose internals Parmap does not copy: <paramref name="frameworkBase"/> names it.
    /// </summary>
    public static FieldInfo[][]? Layout(Type type, out Type? frameworkBase)
    {
        frameworkBase = null;
        for (var t = type.BaseType; t is not null && t != typeof(object) && t != typeof(ValueType) && t != typeof(Enum); t = t.BaseType)
        {
            if (IsFramework(t.Assembly) && !IsFramework(type.Assembly))
            {
                frameworkBase = t;
                return null;
            }
        }
        return s_layouts.GetOrAdd(type, static t =>
        {
            var levels = new List<FieldInfo[]>();
            for (var level = t; level is not null && level != typeof(object) && level != typeof(ValueType); level = level.BaseType)
            {
                levels.Add(level
                    .GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                    .Where(f => !f.IsDefined(typeof(NonSerializedAttribute), inherit: false))
                    .OrderBy(f => f.MetadataToken)
                    .ToArray());
            }
            return [.. levels];
        });
    }
}
