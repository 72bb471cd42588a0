using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Parmap.Shipping;

/// <summary>Names of types, fields and methods: for messages, and stable across rebuilds (for <see cref="FunctionPacker.Identity"/>).</summary>
internal static partial class TypeNames
{
    /// <summary>A readable name for messages: <c>System.Func&lt;System.Int32, System.Double&gt;</c>, nested types joined with '.'.</summary>
    public static string Display(Type type)
    {
        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return $"{Display(type.GetElementType()!)}[{new string(',', rank - 1)}]";
        }
        if (!type.IsGenericType || type.IsGenericTypeDefinition)
        {
            return (type.FullName ?? type.Name).Replace('+', '.');
        }
        var definition = type.GetGenericTypeDefinition();
        var name = (definition.FullName ?? definition.Name).Replace('+', '.');
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>";
    }

    /// <summary>
    /// The name of a type, with the ordinals the compiler gives to generated members removed (<c>&lt;&gt;c__DisplayClass0_0</c>
    /// becomes <c>&lt;&gt;c__DisplayClass</c>), so that an edit elsewhere in the file does not change it.
    /// </summary>
    public static string Stable(Type type)
    {
        if (type.IsArray)
        {
            return $"{Stable(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        }
        if (type.IsByRef || type.IsPointer)
        {
            return Stable(type.GetElementType()!) + (type.IsByRef ? "&" : "*");
        }
        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "!" : "!!") + type.GenericParameterPosition.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var name = $"{definition.Assembly.GetName().Name}:{StableMember(definition.FullName ?? definition.Name)}";
        if (!type.IsGenericType || type.IsGenericTypeDefinition)
        {
            return name;
        }
        return $"{name}<{string.Join(",", type.GetGenericArguments().Select(Stable))}>";
    }

    /// <summary>A method's declaring type, name and signature, stable across rebuilds of unchanged code.</summary>
    public static string Stable(MethodBase method)
    {
        var builder = new StringBuilder();
        builder.Append(method.DeclaringType is null ? "?" : Stable(method.DeclaringType)).Append("::").Append(StableMember(method.Name));
        if (method.IsGenericMethod)
        {
            builder.Append('<').AppendJoin(",", method.GetGenericArguments().Select(Stable)).Append('>');
        }
        builder.Append('(').AppendJoin(",", method.GetParameters().Select(p => Stable(p.ParameterType))).Append(')');
        if (method is MethodInfo info)
        {
            builder.Append(Stable(info.ReturnType));
        }
        return builder.ToString();
    }

    /// <summary>A field's declaring type and name, stable across rebuilds of unchanged code.</summary>
    public static string Stable(FieldInfo field)
    {
        return $"{(field.DeclaringType is null ? "?" : Stable(field.DeclaringType))}::{StableMember(field.Name)}";
    }

    /// <summary>Removes the compiler's ordinals from a generated name (<c>&lt;Main&gt;b__0_1</c> → <c>&lt;Main&gt;b__</c>).</summary>
    public static string StableMember(string name)
    {
        return name.Contains('<', StringComparison.Ordinal) ? CompilerOrdinals().Replace(name, "") : name;
    }

    /// <summary>How the user wrote a captured variable or field: <c>&lt;&gt;4__this</c> → <c>this</c>, <c>&lt;Name&gt;k__BackingField</c> → <c>Name</c>.</summary>
    public static string Variable(FieldInfo field)
    {
        var name = field.Name;
        if (name == "<>4__this")
        {
            return "this";
        }
        var match = GeneratedFieldName().Match(name);
        return match.Success ? match.Groups[1].Value : name;
    }

    /// <summary>A type the C# compiler generated: closures, lambda caches, state machines, anonymous types.</summary>
    public static bool IsCompilerGenerated(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t.Name.StartsWith('<') || t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A closure class: holds the captured variables of one scope (<c>&lt;&gt;c__DisplayClass0_0</c>).</summary>
    public static bool IsClosure(Type type)
    {
        return type.Name.Contains("DisplayClass", StringComparison.Ordinal) && IsCompilerGenerated(type);
    }

    /// <summary>A compiler-generated async or iterator state machine (the body of an async lambda runs in its MoveNext).</summary>
    public static bool IsStateMachine(Type type)
    {
        return IsCompilerGenerated(type)
            && (typeof(IAsyncStateMachine).IsAssignableFrom(type) || typeof(System.Collections.IEnumerator).IsAssignableFrom(type)
                || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerator<>)));
    }

    [GeneratedRegex(@"(?<=__|\||DisplayClass|locals)\d+(?:_\d+)*")]
    private static partial Regex CompilerOrdinals();

    [GeneratedRegex(@"^<([^>]+)>(?:k__BackingField|P|5__\d+)$")]
    private static partial Regex GeneratedFieldName();
}
