using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;

using MessagePack;

using Parmap.Remote;

namespace Parmap.Shipping;

/// <summary>
/// Refuses, before any worker starts, input and result types that cannot cross a process boundary: what
/// <see cref="Refusals.ForData"/> refuses (handles to resources of this process, code, exceptions), types MessagePack
/// cannot rebuild (interfaces, abstract classes, <see cref="object"/>), and types containing any of those.
/// </summary>
internal static class TypeCheck
{
    /// <summary>Throws <see cref="UnshippableTypeException"/> when <paramref name="type"/> cannot travel; <paramref name="role"/> is "input" or "result".</summary>
    public static void Check(Type type, string role)
    {
        var problem = Find(type, new HashSet<Type>(), path: type.Name, depth: 0);
        if (problem is { } p)
        {
            throw new UnshippableTypeException(type, p.Offender,
                $"The {role} type '{Format(type)}' cannot be sent to a worker process: {p.Path} is a '{Format(p.Offender)}' ({p.Why}). " +
                $"Use a plain data type (numbers, strings, arrays, records of those) as the {role}, or run on threads (ExecutorOptions.Threads).");
        }
        try
        {
            typeof(TypeCheck).GetMethod(nameof(Verify), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, null);
        }
        catch (TargetInvocationException e)
        {
            var inner = e.InnerException ?? e;
            throw new UnshippableTypeException(type, type,
                $"The {role} type '{Format(type)}' cannot be sent to a worker process: MessagePack 2.5 cannot serialize it ({Root(inner).Message.Split('\n')[0].Trim()}). " +
                $"Use a concrete data type (a class, record or struct with public properties, an array, a List or Dictionary of those) as the {role}, or run on threads (ExecutorOptions.Threads).",
                inner);
        }
    }

    private static void Verify<T>()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            _ = Codec<T>.Instance;
        }
    }

    private static (Type Offender, string Path, string Why)? Find(Type type, HashSet<Type> seen, string path, int depth)
    {
        if (depth > 16 || !seen.Add(type))
        {
            return null;
        }
        if (type.IsByRef)
        {
            return (type, path, "a reference is an address in this process");
        }
        if (type == typeof(object))
        {
            return (type, path, "an object-typed value comes back as a dictionary, not as its original type; declare the concrete type");
        }
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum)
        {
            return null;
        }
        if (Refusals.ForData(type) is { } refusal)
        {
            return (type, path, refusal.Reason);
        }
        if (type.IsArray)
        {
            return Find(type.GetElementType()!, seen, $"an element of {path}", depth + 1);
        }
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                if (Find(argument, seen, $"a type argument of {path}", depth + 1) is { } found)
                {
                    return found;
                }
            }
        }
        if (type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal)))
        {
            // Framework types: their type arguments were checked above; their members are MessagePack's business.
            return null;
        }
        foreach (var member in SerializedMembers(type))
        {
            var memberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
            if (Find(memberType, seen, $"{type.Name}.{member.Name}", depth + 1) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    private static IEnumerable<MemberInfo> SerializedMembers(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var attributed = type.GetCustomAttribute<MessagePackObjectAttribute>() is not null;
        foreach (var property in type.GetProperties(flags))
        {
            if (property.GetMethod is not null && property.GetIndexParameters().Length == 0 && Serialized(property, attributed))
            {
                yield return property;
            }
        }
        foreach (var field in type.GetFields(flags))
        {
            if (Serialized(field, attributed))
            {
                yield return field;
            }
        }
    }

    private static bool Serialized(MemberInfo member, bool attributed) =>
        attributed
            ? member.GetCustomAttribute<KeyAttribute>() is not null
            : member.GetCustomAttribute<IgnoreMemberAttribute>() is null && member.GetCustomAttribute<IgnoreDataMemberAttribute>() is null;

    private static Exception Root(Exception e)
    {
        while (e is TypeInitializationException or TargetInvocationException && e.InnerException is not null)
        {
            e = e.InnerException!;
        }
        return e;
    }

    internal static string Format(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.IsNested && !type.IsGenericParameter ? $"{Format(type.DeclaringType!)}.{type.Name}" : type.Name;
        }
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Format))}>";
    }
}
